// xDS bench: one zone's mesh of D dataplanes (S services, each proxy reaching 3 of them) and P policies in a
// SQLite store; full generation time; memory per connected idle proxy (server side); and the time from one
// mesh-wide policy change (the stream idle timeout of every route) to every proxy having accepted (and ACKed) the new routes, over real ADS streams opened
// by a child process over C gRPC connections. Usage: bench:xds [-- --dataplanes 10000 --services 1000 --policies 500 --channels 100]
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createTokenService, loadOrCreateSigningKeys } from "@zonemesh/cp/api-server";
import { MeshView, generateProxyResources, loadMeshState, startXdsComponent } from "@zonemesh/cp/xds";
import { openStore } from "@zonemesh/store";
import { SnapshotCache } from "@zonemesh/xds";
import { ms, percentile } from "../store/stats";

const { values } = parseArgs({ options: { dataplanes: { type: "string" }, services: { type: "string" }, policies: { type: "string" }, channels: { type: "string" } } });
const D = Number(values.dataplanes ?? 10_000);
const S = Number(values.services ?? 1_000);
const P = Number(values.policies ?? 500);
const C = Number(values.channels ?? 100);
const gc = globalThis.gc ?? (() => {});
const heapMiB = () => (gc(), process.memoryUsage().heapUsed / 2 ** 20);

const dataDir = mkdtempSync(join(tmpdir(), "zonemesh-bench-xds-"));
const store = await openStore({ dataDir });
const tokens = createTokenService(await loadOrCreateSigningKeys(store));
const results: [string, string][] = [];
const progress = (what: string) => console.error(`${new Date().toISOString()} ${what}`);
/** Printed as measured too: at full size a run may be cut short. */
const result = (what: string, value: string) => {
  results.push([what, value]);
  progress(`${what}: ${value}`);
};

let started = Date.now();
await store.create({ type: "Mesh", mesh: "", name: "default", spec: {} });
for (let i = 0; i < D; i++) {
  const service = (k: number) => `svc-${k % S}`;
  await store.create({
    type: "Dataplane",
    mesh: "default",
    name: `dp-${i}`,
    labels: {},
    spec: {
      networking: {
        address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        inbound: [{ port: 8080, tags: { "kuma.io/service": service(i), "kuma.io/protocol": "http", version: `v${i % 3}` } }],
        outbound: [1, 2, 3].map((k) => ({ port: 10000 + k, tags: { "kuma.io/service": service(i + k * 7) } })),
      },
    },
  });
}
const kinds = [
  (j: number) => ({ type: "MeshTimeout", conf: { http: { requestTimeout: `${2 + (j % 5)}s` } } }),
  (j: number) => ({ type: "MeshRetry", conf: { http: { numRetries: 1 + (j % 4) } } }),
  (j: number) => ({ type: "MeshCircuitBreaker", conf: { connectionLimits: { maxConnections: 100 + j } } }),
];
for (let j = 0; j < P; j++) {
  const { type, conf } = kinds[j % kinds.length]!(j);
  await store.create({
    type,
    mesh: "default",
    name: `policy-${j}`,
    spec: { spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshService", name: `svc-${(j * 13) % S}` }, default: conf }] } },
  });
}
const meshWide = (seconds: number) => ({
  type: "MeshTimeout",
  mesh: "default",
  name: "bench-mesh-wide",
  spec: { spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { http: { streamIdleTimeout: `${seconds}s` } } }] } },
});
await store.upsert(meshWide(30));
progress("store filled");
result(`store: ${D} Dataplanes, ${P + 1} policies created`, `${((Date.now() - started) / 1000).toFixed(1)} s`);

// Full generation: what a reconciliation pass does for every proxy of the mesh (store read, generation, encoding).
for (let round = 0; round < 2; round++) {
  const cache = new SnapshotCache();
  started = performance.now();
  const state = (await loadMeshState(store, "default"))!;
  const loadedAt = performance.now();
  const view = new MeshView({ ...state, localZone: "default" });
  const vips = new Map<string, string>();
  for (const dataplane of state.dataplanes) {
    const { warnings, ...resources } = generateProxyResources({ dataplane, ...state, vips, localZone: "default" }, view);
    cache.setSnapshot(`default.${dataplane.name}`, resources);
  }
  const done = performance.now();
  result(`full generation, round ${round + 1}: store read + ${D} proxies generated and encoded`, `${ms(loadedAt - started)} + ${ms(done - loadedAt)}`);
}

progress("generated");
const xds = await startXdsComponent({ store, config: { xdsPort: 0 }, tokens });
const heapBefore = heapMiB();
const clients = fork(new URL("./clients.ts", import.meta.url).pathname, { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
const ask = <T>(message: object) => new Promise<T>((resolve) => {
  clients.once("message", (reply) => resolve(reply as T));
  clients.send(message);
});
const token = await tokens.issueToken("dataplane", { mesh: "default" }, 3600);
const nodeIds = Array.from({ length: D }, (_, i) => `default.dp-${i}`);
const { connected } = await ask<{ connected: number }>({ connect: { address: `127.0.0.1:${xds.port}`, token, nodeIds, channels: C } });
result(`${D} ADS streams opened over ${C} connections, every proxy has its routes`, `${(connected / 1000).toFixed(1)} s`);
progress("connected");
await new Promise((resolve) => setTimeout(resolve, 3000)); // insight writes settle
const heapAfter = heapMiB();
result(`server heap per connected idle proxy (stream, snapshot, insight state)`, `${(((heapAfter - heapBefore) * 1024) / D).toFixed(1)} KiB`);

const pushes: number[] = [];
for (const seconds of [31, 32, 33]) {
  const changedAt = Date.now();
  await store.upsert(meshWide(seconds));
  const { allAcceptedAt } = await ask<{ allAcceptedAt: number }>({ watch: { seconds } });
  pushes.push(allAcceptedAt - changedAt);
}
result(`mesh-wide policy change to all ${D} proxies ACKed, p50 / max of ${pushes.length}`, `${ms(percentile(pushes, 50))} / ${ms(Math.max(...pushes))}`);

// A policy selecting the proxies of one service (top-level targetRef): only those are regenerated and sent anything.
const selected = nodeIds.filter((_, i) => i % S === 0);
const oneService = (seconds: number) => ({
  type: "MeshTimeout",
  mesh: "default",
  name: "bench-one-service",
  spec: { spec: { targetRef: { kind: "MeshService", name: "svc-0" }, to: [{ targetRef: { kind: "Mesh" }, default: { http: { streamIdleTimeout: `${seconds}s` } } }] } },
});
const servicePushes: number[] = [];
let responded = 0;
for (const seconds of [41, 42, 43]) {
  const changedAt = Date.now();
  await store.upsert(oneService(seconds));
  const answer = await ask<{ allAcceptedAt: number; responded: number }>({ watch: { seconds, nodeIds: selected } });
  servicePushes.push(answer.allAcceptedAt - changedAt);
  responded = Math.max(responded, answer.responded);
}
result(
  `policy change selecting one service: its ${selected.length} proxies ACKed, p50 / max of ${servicePushes.length} (proxies sent anything: at most ${responded})`,
  `${ms(percentile(servicePushes, 50))} / ${ms(Math.max(...servicePushes))}`,
);

clients.disconnect();
await xds.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(`\n| measurement (${D} dataplanes, ${S} services, ${P} policies) | result |\n|---|---|`);
for (const [what, value] of results) console.log(`| ${what} | ${value} |`);
