// Child process: autocannon against http://127.0.0.1:<port>/ with keep-alive connections. autocannon's own
// latency histogram keeps whole milliseconds, so each response's time (fractional ms, from its "response"
// event) is collected here. Usage: http-load.ts <port> <connections> <warmup s> <seconds>
import { createRequire } from "node:module";
import { summarize } from "./latency";

interface Instance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
}
interface Result {
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; pipelining: number }, done: (error: Error | null, result: Result) => void) => Instance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
const [port, connections, warmup, seconds] = process.argv.slice(2).map(Number) as [number, number, number, number];

function run(duration: number, onResponse?: (ms: number, status: number) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration, pipelining: 1 }, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) instance.on("response", (_client, status, _bytes, responseTime) => onResponse(responseTime, status));
  });
}

let warmupRequests = 0;
await run(warmup, () => warmupRequests++);
const samples: number[] = [];
let failed = 0;
const result = await run(seconds, (ms, status) => (status >= 200 && status < 300 ? samples.push(ms) : failed++));
console.log(JSON.stringify(summarize(warmupRequests, samples, failed + result.errors + result.timeouts, seconds)));
