// Child process: fixed-concurrency request/response over persistent TCP connections (autocannon speaks only
// HTTP). Each connection writes a 64-byte message, waits for all 64 bytes to come back, and repeats.
// Usage: tcp-load.ts <port> <connections> <warmup s> <seconds>
import net from "node:net";
import { summarize } from "./latency";

const [port, connections, warmup, seconds] = process.argv.slice(2).map(Number) as [number, number, number, number];
const message = Buffer.alloc(64, "x");

async function loop(socket: net.Socket, until: number, record: (ms: number) => void): Promise<void> {
  while (performance.now() < until) {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
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
    record(performance.now() - start);
  }
}

const sockets = await Promise.all(
  Array.from({ length: connections }, () => new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, noDelay: true }, () => resolve(socket));
    socket.once("error", reject);
  })),
);
const warmupEnd = performance.now() + warmup * 1000;
let warmupRequests = 0;
await Promise.all(sockets.map((socket) => loop(socket, warmupEnd, () => warmupRequests++)));
const samples: number[] = [];
let errors = 0;
const end = performance.now() + seconds * 1000;
await Promise.all(sockets.map((socket) => loop(socket, end, (ms) => samples.push(ms)).catch(() => void errors++)));
for (const socket of sockets) socket.destroy();
console.log(JSON.stringify(summarize(warmupRequests, samples, errors, seconds)));
