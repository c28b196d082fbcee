// `npm run bench:web -w @zonemesh/bench`: a CP API (standalone mode, SQLite) seeded through its REST API with
// 10,000 dataplanes of 2,000 services, the GUI's `next start` over it; the p50/p95 of every tRPC call each page
// makes, and the time to an interactive topology graph in Debian's Chromium. Build the GUI first.
// BENCH_WEB_DATA_DIR=<dir> keeps the seeded store there and reuses it on the next run.
import { cpus, loadavg } from "node:os";
import { ms } from "../store/stats";
import { startBenchCp } from "./cp-server";
import { graphTimeLimitMs, timeGraph } from "./graph-timing";
import { startNext } from "./next-server";
import { isSeeded, seedThroughApi } from "./seed";
import { pageCalls, timeCall } from "./trpc-calls";

const shape = { dataplanes: 10_000, services: 2_000, zones: ["zone-0", "zone-1", "zone-2"], permissions: 1_000 };
const samplesPerCall = 20;
const graphRuns = 2;

const cp = await startBenchCp();
const gui = await startNext(cp.url, 3890);
try {
  const what = `${shape.dataplanes} dataplanes (+ insights), ${shape.services} services, ${shape.permissions} MeshTrafficPermissions`;
  if (await isSeeded(cp.url, shape)) {
    console.log(`reusing the store in ${cp.dataDir}: ${what}`);
  } else {
    const seedStart = performance.now();
    await seedThroughApi(cp.url, shape);
    console.log(`seeded ${what} through the API in ${((performance.now() - seedStart) / 1000).toFixed(1)} s${cp.kept ? ` (kept in ${cp.dataDir})` : ""}`);
  }
  const load = () => loadavg().map((value) => value.toFixed(1)).join(" ");
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}, ${new Date().toISOString()}, load average ${load()}\n`);

  console.log("| page | procedure | input | p50 | p95 |\n|---|---|---|---|---|");
  for (const call of pageCalls) {
    const { p50, p95 } = await timeCall(gui.url, call, samplesPerCall);
    console.log(`| ${call.page} | \`${call.procedure}\` | \`${JSON.stringify(call.input ?? {})}\` | ${ms(p50)} | ${ms(p95)} |`);
  }

  console.log("\n| topology view | drawn | interactive | service nodes in the DOM |\n|---|---|---|---|");
  const orLimit = (value: number | null) => (value === null ? `> ${graphTimeLimitMs / 1000} s` : ms(value));
  for (const t of await timeGraph(gui.url, graphRuns)) console.log(`| ${t.view} | ${orLimit(t.drawnMs)} | ${orLimit(t.interactiveMs)} | ${t.nodes} |`);
  console.log(`\nload average at the end: ${load()}`);
} finally {
  gui.close();
  await cp.close();
}
