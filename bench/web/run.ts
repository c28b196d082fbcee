// `npm run bench:web -w @zonemesh/bench`: a CP API (standalone mode, SQLite) seeded through its REST API with
// 10,000 dataplanes of 2,000 services, the GUI's `next start` over it; the p50/p95 of every tRPC call each page
// makes, and the time to an interactive topology graph in Debian's Chromium. Build the GUI first.
import { cpus } from "node:os";
import { startTestApiServer } from "@zonemesh/cp/testing";
import { ms } from "../store/stats";
import { graphTimeLimitMs, timeGraph } from "./graph-timing";
import { startNext } from "./next-server";
import { seedThroughApi } from "./seed";
import { pageCalls, timeCall } from "./trpc-calls";

const shape = { dataplanes: 10_000, services: 2_000, zones: ["zone-0", "zone-1", "zone-2"], permissions: 1_000 };
const samplesPerCall = 20;
const graphRuns = 2;

// Standalone: a global CP refuses Dataplanes through its API (zones sync them over KDS).
const cp = await startTestApiServer({ mode: "standalone" });
const gui = await startNext(cp.url, 3890);
try {
  const seedStart = performance.now();
  await seedThroughApi(cp.url, shape);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${shape.dataplanes} dataplanes (+ insights), ${shape.services} services, ${shape.permissions} MeshTrafficPermissions through the API in ${seedSeconds.toFixed(1)} s`);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}, ${new Date().toISOString()}\n`);

  console.log("| page | procedure | input | p50 | p95 |\n|---|---|---|---|---|");
  for (const call of pageCalls) {
    const { p50, p95 } = await timeCall(gui.url, call, samplesPerCall);
    console.log(`| ${call.page} | \`${call.procedure}\` | \`${JSON.stringify(call.input ?? {})}\` | ${ms(p50)} | ${ms(p95)} |`);
  }

  console.log("\n| topology view | drawn | interactive | service nodes in the DOM |\n|---|---|---|---|");
  const orLimit = (value: number | null) => (value === null ? `> ${graphTimeLimitMs / 1000} s` : ms(value));
  for (const t of await timeGraph(gui.url, graphRuns)) console.log(`| ${t.view} | ${orLimit(t.drawnMs)} | ${orLimit(t.interactiveMs)} | ${t.nodes} |`);
} finally {
  gui.close();
  await cp.close();
}
