import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { test } from "node:test";
import { freePort } from "./free-port";

test("ports come from outside the kernel's ephemeral range, are never repeated, and can be bound", async () => {
  const [from, to] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number) as [number, number];
  const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length, `a port was handed out twice: ${ports}`);
  for (const port of ports) assert.ok(port < from || port > to, `${port} is in the ephemeral range ${from}-${to}`);
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(ports[0], "127.0.0.1", resolve));
  server.close();
});
