// DataplaneInsight writes are batched (one transaction per 500 proxies, no read or write per proxy) and keep what
// another CP instance sharing the store wrote about the same proxy.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataplaneInsightBody } from "@zonemesh/resources";
import { openStore, type OpenedStore, type ResourceStore } from "@zonemesh/store";
import { typeUrls, type StreamInfo } from "@zonemesh/xds";
import { DataplaneInsights } from "./dataplane-insights";

let dataDir: string;
let store: OpenedStore;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "zonemesh-xds-insights-"));
  store = await openStore({ dataDir });
  await store.create({ type: "Mesh", mesh: "", name: "default", spec: {} });
});

after(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The real store, with the calls made through it counted. */
function countingStore(real: ResourceStore): { store: ResourceStore; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const store = new Proxy(real, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls[String(property)] = (calls[String(property)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}

const stream = (streamId: number, name: string): StreamInfo => ({ streamId, kind: "sotw", node: { id: `default.${name}`, cluster: "", metadata: {} }, peer: "ipv4:127.0.0.1:1" });
const insightOf = async (name: string) => dataplaneInsightBody.parse((await store.get({ type: "DataplaneInsight", mesh: "default", name }))?.spec);

test("1,200 proxies connecting and served make twelve upsertMany transactions and one list read, no per-proxy read or write", async () => {
  const { store: counted, calls } = countingStore(store);
  const insights = new DataplaneInsights({ store: counted, controlPlaneInstanceId: "cp-1", flushIntervalMs: 60_000, certificate: () => undefined });
  for (let i = 0; i < 1200; i++) {
    const opened = stream(i + 1, `dp-${i}`);
    insights.opened(opened, { mesh: "default", name: `dp-${i}` });
    insights.sent(opened, typeUrls.cluster);
    insights.acknowledged(opened, typeUrls.cluster);
  }
  await insights.close();
  assert.deepEqual(calls, { subscribe: 1, list: 1, upsertMany: 12 });
  const insight = await insightOf("dp-1199");
  assert.equal(insight.subscriptions?.length, 1);
  assert.equal(insight.subscriptions?.[0]?.controlPlaneInstanceId, "cp-1");
  assert.deepEqual(insight.subscriptions?.[0]?.status.cds, { responsesSent: 1, responsesAcknowledged: 1, responsesRejected: 0 });
  assert.equal((await store.list({ type: "DataplaneInsight", mesh: "default" })).total, 1200);
});

test("a subscription another CP instance wrote to the same insight survives our next write, and nothing identical is rewritten", async () => {
  const insights = new DataplaneInsights({ store, controlPlaneInstanceId: "cp-a", flushIntervalMs: 20, certificate: () => undefined });
  const ours = stream(1, "shared");
  insights.opened(ours, { mesh: "default", name: "shared" });
  type Subscriptions = NonNullable<Awaited<ReturnType<typeof insightOf>>["subscriptions"]>;
  const written = async (check: (subscriptions: Subscriptions) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const subscriptions = (await insightOf("shared").catch(() => ({ subscriptions: [] }))).subscriptions ?? [];
      if (check(subscriptions)) return subscriptions;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("the insight never reached the expected state");
  };
  await written((subscriptions) => subscriptions.some((s) => s.controlPlaneInstanceId === "cp-a"));
  // Another instance, sharing the store, records its own stream of the same proxy.
  const current = (await store.get({ type: "DataplaneInsight", mesh: "default", name: "shared" }))!;
  const theirs = { id: "their-subscription", connectTime: new Date().toISOString(), controlPlaneInstanceId: "cp-b", status: { lastUpdateTime: new Date().toISOString(), total: {} } };
  const spec = dataplaneInsightBody.parse(current.spec);
  await store.update({ ...current, spec: { ...spec, subscriptions: [...(spec.subscriptions ?? []), theirs] } });
  insights.sent(ours, typeUrls.listener);
  const afterOurs = await written((subscriptions) => subscriptions.some((s) => s.status.lds?.responsesSent === 1));
  assert.deepEqual(afterOurs.map((s) => s.controlPlaneInstanceId), ["cp-b", "cp-a"]);
  const merged = await store.get({ type: "DataplaneInsight", mesh: "default", name: "shared" });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((await store.get({ type: "DataplaneInsight", mesh: "default", name: "shared" }))!.version, merged!.version, "no write without a change");
  await insights.close();
});
