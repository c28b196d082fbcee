// Child process: unary gRPC calls (grpc-js, one HTTP/2 connection as a gRPC channel keeps) with <connections> calls in
// flight, each worker calling again as soon as its answer arrives. Usage: grpc-load.ts <port> <connections> <warmup s> <seconds>
import { GrpcEchoClient } from "../../apps/dp/src/testing/grpc-echo";
import { summarize } from "./latency";

const [port, concurrency, warmup, seconds] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const client = new GrpcEchoClient(`127.0.0.1:${port}`);

async function worker(until: number, record: (ms: number) => void): Promise<void> {
  while (performance.now() < until) {
    const start = performance.now();
    await client.unary("hello", "bench");
    record(performance.now() - start);
  }
}

const workers = (until: number, record: (ms: number) => void) => Promise.all(Array.from({ length: concurrency }, () => worker(until, record)));
let warmupRequests = 0;
await workers(performance.now() + warmup * 1000, () => warmupRequests++);
const samples: number[] = [];
let errors = 0;
await workers(performance.now() + seconds * 1000, (ms) => samples.push(ms)).catch(() => void errors++);
client.close();
console.log(JSON.stringify(summarize(warmupRequests, samples, errors, seconds)));
