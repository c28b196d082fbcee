import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { test } from "node:test";
import { freePort } from "@zonemesh/testing";
import type { ProxyDocument } from "./proxy-document";
import { registerProxy } from "./register";

const ingress: ProxyDocument = { type: "ZoneIngress", mesh: "", name: "ingress-1", wire: { type: "ZoneIngress", name: "ingress-1", networking: { address: "127.0.0.1", port: 10001 } } };

/** A REST API answering the given statuses in turn (then 201). */
async function api(statuses: number[]): Promise<{ url: string; requests: string[]; close(): void }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    const status = statuses.shift() ?? 201;
    response.writeHead(status).end(status >= 400 ? `status ${status}` : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, requests, close: () => server.close() };
}

test("registration retries while the CP is unreachable or answers 5xx, and logs why", async () => {
  const port = await freePort();
  const lines: string[] = [];
  const registered = registerProxy(`http://127.0.0.1:${port}`, ingress, { retryForMs: 10_000, initialBackoffMs: 50, log: (line) => lines.push(line) });
  await new Promise((resolve) => setTimeout(resolve, 200));
  // The CP comes up on that port, still failing once.
  const server = http.createServer((request, response) => {
    request.resume();
    response.writeHead(lines.some((line) => line.includes("HTTP 503")) ? 201 : 503).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  try {
    await registered;
    assert.match(lines[0] ?? "", /registering ZoneIngress ingress-1 at http:\/\/127\.0\.0\.1:\d+\/zoneingresses\/ingress-1: connect ECONNREFUSED .*; retrying in 50 ms/);
    assert.ok(lines.some((line) => /HTTP 503: ; retrying in \d+ ms/.test(line)), lines.join("\n"));
  } finally {
    server.close();
  }
});

test("a refusal (4xx) fails at once with the CP's answer; a CP failing past the retry time gives up", async () => {
  const refusing = await api([400]);
  await assert.rejects(registerProxy(refusing.url, ingress, { retryForMs: 10_000, log: () => {} }), /registering ZoneIngress ingress-1 at .*\/zoneingresses\/ingress-1: HTTP 400: status 400$/);
  assert.equal(refusing.requests.length, 1);
  refusing.close();
  const failing = await api([500, 500, 500, 500, 500, 500, 500, 500]);
  await assert.rejects(registerProxy(failing.url, ingress, { retryForMs: 1_000, initialBackoffMs: 50, log: () => {} }), /HTTP 500: status 500 \(gave up after 1000 ms\)/);
  // Back-off 50, 100, 200, 400 ms: at most 5 attempts within the second.
  assert.ok(failing.requests.length >= 2 && failing.requests.length <= 5, `${failing.requests.length} attempts`);
  failing.close();
});
