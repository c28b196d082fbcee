// `npm run bench:dp -w @zonemesh/bench [-- --seconds 10 --warmup 10 --connections 1,16 --protocols http,tcp,tcp-new,grpc --cpu-prof DIR --dp-bin OTHER/apps/dp/bin/zonemesh-dp.mjs]`:
// requests/s and p50/p99 latency through two built-in proxies (client dp -> mTLS -> backend dp) against a direct
// connection to the same backend, for HTTP/1.1 keep-alive (autocannon) and TCP request/response over persistent
// connections and over a new connection per exchange (tcp-load.ts), and unary gRPC calls (grpc-load.ts, HTTP/2 between the
// dps too; "c" is then the calls in flight on one channel). Each run is a warm-up then a measured window, one load child process at a time.
import { execFile } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startBackends } from "./backends";
import type { LoadResult } from "./latency";
import { startBenchMesh } from "./mesh";
import { cpuSeconds } from "./process-cpu";

const { values } = parseArgs({ options: { seconds: { type: "string" }, warmup: { type: "string" }, connections: { type: "string" }, protocols: { type: "string" }, "cpu-prof": { type: "string" }, "dp-bin": { type: "string" } } });
const seconds = Number(values.seconds ?? 10);
// Long enough for V8 to have optimized the dps' request path: with 2-3 s the first measured seconds still had the
// compiler threads competing for the two cores, and their p99 was 3-5x the steady state's.
const warmup = Number(values.warmup ?? 10);
const connectionCounts = (values.connections ?? "1,16").split(",").map(Number);
type Protocol = "http" | "tcp" | "tcp-new" | "grpc";
const protocolNames: Record<Protocol, string> = { http: "HTTP/1.1 keep-alive", tcp: "TCP req/resp", "tcp-new": "TCP connection per req/resp", grpc: "gRPC unary" };
const protocols = (values.protocols ?? "http,tcp,tcp-new,grpc").split(",").filter((p): p is Protocol => p in protocolNames);
const progress = (what: string) => console.error(`${new Date().toISOString()} ${what}`);

/** A load run, with the CPU time per request of this process (the backends live here) and of each given pid. */
async function measured(tool: Protocol, port: number, connections: number, pids: number[]): Promise<LoadResult & { backendCpuUs: number; cpuUs: number[] }> {
  const before = [process.pid, ...pids].map(cpuSeconds);
  const result = await load(tool, port, connections);
  // The CPU time covers the warm-up too.
  const served = result.warmupRequests + result.requests;
  const [backendCpuUs, ...cpuUs] = [process.pid, ...pids].map((pid, i) => ((cpuSeconds(pid) - (before[i] as number)) / served) * 1e6) as [number, ...number[]];
  return { ...result, backendCpuUs, cpuUs };
}

function load(tool: Protocol, port: number, connections: number): Promise<LoadResult> {
  const script = fileURLToPath(new URL(`./${tool === "tcp-new" ? "tcp" : tool}-load.ts`, import.meta.url));
  const args = [script, String(port), String(connections), String(warmup), String(seconds), ...(tool === "tcp-new" ? ["new"] : [])];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", ...args], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${tool} load on port ${port}: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as LoadResult);
    }),
  );
}

const backends = await startBackends();
const mesh = await startBenchMesh(backends, { nodeArgs: values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]] : [], dpBin: values["dp-bin"] });
progress(`mesh up: HTTP outbound ${mesh.httpOutbound}, TCP outbound ${mesh.tcpOutbound}, dp pids ${mesh.dpPids.join(", ")}`);
const rows: string[][] = [];
try {
  for (const tool of protocols) {
    for (const connections of connectionCounts) {
      const direct = await measured(tool, { http: backends.httpPort, grpc: backends.grpcPort, tcp: backends.echoPort, "tcp-new": backends.echoPort }[tool], connections, []);
      progress(`${tool} direct c=${connections}: ${JSON.stringify(direct)}`);
      const backendConnectionsBefore = backends.httpConnections();
      const proxied = await measured(tool, { http: mesh.httpOutbound, grpc: mesh.grpcOutbound, tcp: mesh.tcpOutbound, "tcp-new": mesh.tcpOutbound }[tool], connections, mesh.dpPids);
      progress(`${tool} proxied c=${connections}: ${JSON.stringify(proxied)}${tool === "http" ? `, backend accepted ${backends.httpConnections() - backendConnectionsBefore} connections` : ""}`);
      const rate = (result: LoadResult) => result.requests / result.seconds;
      for (const [mode, result] of [["direct", direct], ["2 dps, mTLS", proxied]] as const) {
        rows.push([
          `${protocolNames[tool]} c=${connections} ${mode}`,
          rate(result).toFixed(0),
          result.p50.toFixed(2),
          result.p99.toFixed(2),
          result === direct ? "1.00" : (rate(result) / rate(direct)).toFixed(2),
          result === direct ? "" : (result.p99 - direct.p99).toFixed(2),
          result.backendCpuUs.toFixed(0),
          result === direct ? "" : result.cpuUs.map((us) => us.toFixed(0)).join(" + "),
          String(result.errors),
        ]);
      }
    }
  }
} finally {
  await mesh.stop();
  await backends.close();
}
const header = ["mode", "req/s", "p50 ms", "p99 ms", "ratio to direct", "added p99 ms", "backend CPU µs/req", "dp CPU µs/req (backend dp + client dp)", "errors"];
console.log(`\nData plane bench: ${seconds} s per mode after ${warmup} s warm-up; load average at the end ${loadavg().map((load) => load.toFixed(1)).join(" ")}\n`);
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
