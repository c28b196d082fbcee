// `npm run bench:store -w @zonemesh/bench [-- <scale>]`: the store at Kuma scale on SQLite and PostgreSQL.
// Applies 10,000 Dataplanes and 1,000 policies one by one, then times list pages and the change feed
// (write -> subscriber notified). A scale below 1 shrinks every count for a quick try.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type ListQuery, type ResourceStore, type StoreOptions } from "@zonemesh/store";
import { startThrowawayPostgres } from "@zonemesh/store/testing";
import { ms, percentile, timeEach } from "./stats";
import { dataplane, mesh, policy, zones } from "./workload";

const scale = Number(process.argv[2] ?? 1);
const dataplanes = Math.round(10_000 * scale);
const policies = Math.round(1_000 * scale);
const feedWrites = Math.max(1_000, Math.round(1_000 * scale));
const listRepeats = 50;

type Results = Map<string, string>;

const p50p99 = (samples: number[]) => `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 99))}`;

async function applyAll(store: ResourceStore, count: number, resource: (index: number) => Parameters<ResourceStore["upsert"]>[0]) {
  const start = performance.now();
  let index = 0;
  const samples = await timeEach(count, () => store.upsert(resource(index++)));
  return { seconds: (performance.now() - start) / 1000, samples };
}

/** Write -> notified, one write at a time; `subscriber` may be another store on the same database. */
async function feedLatency(writer: ResourceStore, subscriber: ResourceStore): Promise<number[]> {
  let waiting: { name: string; notified: (at: number) => void } | undefined;
  const unsubscribe = subscriber.subscribe((event) => {
    if (event.name === waiting?.name) waiting.notified(performance.now());
  });
  const samples: number[] = [];
  for (let i = 0; i < feedWrites; i++) {
    const resource = dataplane(i % dataplanes);
    const notified = new Promise<number>((resolve) => (waiting = { name: resource.name, notified: resolve }));
    const start = performance.now();
    await writer.upsert(resource);
    samples.push((await notified) - start);
  }
  unsubscribe();
  return samples;
}

async function measure(options: StoreOptions, secondStore: boolean): Promise<Results> {
  const results: Results = new Map();
  const store = await openStore(options);
  await store.upsert({ type: "Mesh", mesh: "", name: mesh, spec: {} });

  const dps = await applyAll(store, dataplanes, dataplane);
  results.set(`apply ${dataplanes.toLocaleString("en")} Dataplanes (total)`, `${dps.seconds.toFixed(1)} s`);
  results.set("apply one Dataplane p50 / p99", p50p99(dps.samples));
  const pols = await applyAll(store, policies, policy);
  results.set(`apply ${policies.toLocaleString("en")} policies (total)`, `${pols.seconds.toFixed(1)} s`);

  const lists: [string, ListQuery][] = [
    ["list 100 Dataplanes at offset 0", { type: "Dataplane", mesh, size: 100 }],
    [`list 100 Dataplanes at offset ${dataplanes / 2}`, { type: "Dataplane", mesh, size: 100, offset: dataplanes / 2 }],
    [`list 100 Dataplanes at offset ${dataplanes - 100}`, { type: "Dataplane", mesh, size: 100, offset: dataplanes - 100 }],
    [`list 100 Dataplanes with label kuma.io/zone=${zones[1]}`, { type: "Dataplane", mesh, size: 100, labels: { "kuma.io/zone": zones[1]! } }],
    [
      `list 100 Dataplanes with 2 labels at offset ${Math.round(dataplanes / 10)}`,
      { type: "Dataplane", size: 100, offset: Math.round(dataplanes / 10), labels: { "kuma.io/zone": zones[0]!, "kuma.io/service": "svc-3" } },
    ],
    ["list Dataplanes whose name contains \"svc-42-\"", { type: "Dataplane", mesh, size: 100, nameContains: "svc-42-" }],
    ["list 100 MeshTimeouts", { type: "MeshTimeout", mesh, size: 100 }],
  ];
  for (const [label, query] of lists) {
    await store.list(query); // not timed: the first run of a query shape includes Prisma compiling it
    results.set(`${label} p50 / p99`, p50p99(await timeEach(listRepeats, () => store.list(query))));
  }

  results.set(`change feed, same store, over ${feedWrites.toLocaleString("en")} writes p50 / p99`, p50p99(await feedLatency(store, store)));
  if (secondStore) {
    const other = await openStore(options);
    results.set(`change feed, another store on the database p50 / p99`, p50p99(await feedLatency(store, other)));
    await other.close();
  }
  await store.close();
  return results;
}

const dataDir = mkdtempSync(join(tmpdir(), "zonemesh-bench-"));
const postgres = await startThrowawayPostgres({ durable: true });
try {
  console.error("SQLite...");
  const sqlite = await measure({ dataDir }, false);
  console.error("PostgreSQL...");
  const pg = await measure({ url: await postgres.createDatabase() }, true);

  console.log("| measurement | SQLite | PostgreSQL |\n|---|---|---|");
  for (const label of new Set([...sqlite.keys(), ...pg.keys()])) {
    console.log(`| ${label} | ${sqlite.get(label) ?? "—"} | ${pg.get(label) ?? "—"} |`);
  }
} finally {
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
