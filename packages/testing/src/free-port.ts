// Ports for the processes a test starts, which bind them later.
//
// A port found free by binding port 0 comes from the kernel's ephemeral range, the range outgoing connections take
// their local ports from: between the check and the bind, a connection (any process's) may take it, and the process
// under test fails with EADDRINUSE. Ports below that range are never taken implicitly, so they are picked there, at
// random (processes picking at once rarely meet), checked free for TCP and UDP, and never handed out twice by a process.
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const lowest = 10_000;
const handedOut = new Set<number>();

/** The ports below the ephemeral range (or above it, where it starts too low to leave room). */
function pickRange(): { from: number; to: number } {
  let ephemeral = { from: 32_768, to: 60_999 };
  try {
    const [from, to] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (Number.isInteger(from) && Number.isInteger(to)) ephemeral = { from: from!, to: to! };
  } catch {
    // Not Linux: keep Linux's default range.
  }
  return ephemeral.from - lowest >= 5_000 ? { from: lowest, to: ephemeral.from - 1 } : { from: ephemeral.to + 1, to: 65_535 };
}

const range = pickRange();

function canBindTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function canBindUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 that nothing listens on (TCP or UDP) and that this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = range.from + Math.floor(Math.random() * (range.to - range.from + 1));
    if (handedOut.has(port)) continue;
    // Reserved before the (asynchronous) checks, so that concurrent calls cannot both pick it.
    handedOut.add(port);
    if ((await canBindTcp(port)) && (await canBindUdp(port))) return port;
  }
  throw new Error(`no free port found in ${range.from}-${range.to} after 200 tries`);
}
