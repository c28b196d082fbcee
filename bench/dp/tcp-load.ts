// Child process: fixed-concurrency TCP request/response (autocannon speaks only HTTP). Each of <connections>
// workers writes a 64-byte message, waits for all 64 bytes to come back, and repeats: over one persistent
// connection, or ("new") over a new connection per exchange, timed from the connect.
// Usage: tcp-load.ts <port> <connections> <warmup s> <seconds> [persistent|new]
import net from "node:net";
import { summarize } from "./latency";

const [port, connections, warmup, seconds] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const newConnections = process.argv[6] === "new";
const message = Buffer.alloc(64, "x");

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, noDelay: true }, () => resolve(socket));
    socket.once("error", reject);
  });
}

function exchange(socket: net.Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received < message.length) return;
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve();
    };
    const onClose = () => reject(new Error("connection closed mid-exchange"));
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.write(message);
  });
}

async function worker(persistent: net.Socket | undefined, until: number, record: (ms: number) => void): Promise<void> {
  while (performance.now() < until) {
    const start = performance.now();
    const socket = persistent ?? (await connect());
    await exchange(socket);
    if (!persistent) socket.destroy();
    record(performance.now() - start);
  }
}

const sockets = newConnections ? Array.from({ length: connections }, () => undefined) : await Promise.all(Array.from({ length: connections }, connect));
const warmupEnd = performance.now() + warmup * 1000;
let warmupRequests = 0;
await Promise.all(sockets.map((socket) => worker(socket, warmupEnd, () => warmupRequests++)));
const samples: number[] = [];
let errors = 0;
const end = performance.now() + seconds * 1000;
await Promise.all(sockets.map((socket) => worker(socket, end, (ms) => samples.push(ms)).catch(() => void errors++)));
for (const socket of sockets) socket?.destroy();
console.log(JSON.stringify(summarize(warmupRequests, samples, errors, seconds)));
