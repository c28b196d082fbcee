// DataplaneInsight writes are batched (one transaction per 100 proxies, no read or write per proxy), keep what
// another CP instance sharing the store wrote about the same proxy, and write counter changes alone less often.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataplaneInsightBody } from "@zonemesh/resources";
import { openStore, type OpenedStore, type ResourceStore } from "@zonemesh/store";
import { typeUrls, type StreamInfo } from "@zonemesh/xds";
import { loadOrCreateSigningKeys } from "../../auth/signing-keys";
import { createTokenService } from "../../auth/tokens";
import { DataplaneInsights } from "./dataplane-insights";
import { EnvoyLikeProxy } from "./testing/envoy-like-proxy";
import { startXdsComponent } from "./xds-component";

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
  const insights = new DataplaneInsights({ store: counted, controlPlaneInstanceId: "cp-1", flushIntervalMs: 60_000, counterFlushIntervalMs: 60_000, certificate: () => undefined });
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
  const insights = new DataplaneInsights({ store, controlPlaneInstanceId: "cp-a", flushIntervalMs: 20, counterFlushIntervalMs: 20, certificate: () => undefined });
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

test("over real ADS streams, a connect and a disconnect are written promptly; counter changes alone wait for the counter flush", async () => {
  const tokens = createTokenService(await loadOrCreateSigningKeys(store));
  await store.create({
    type: "Dataplane",
    mesh: "default",
    name: "counted",
    spec: { networking: { address: "127.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": "counted", "kuma.io/protocol": "http" } }], outbound: [{ port: 10001, tags: { "kuma.io/service": "counted" } }] } },
  });
  const xds = await startXdsComponent({ store, config: { xdsPort: 0 }, tokens, insightFlushIntervalMs: 50, insightCounterFlushIntervalMs: 60_000 });
  const proxy = new EnvoyLikeProxy({ address: `127.0.0.1:${xds.port}`, nodeId: "default.counted", token: await tokens.issueToken("dataplane", { mesh: "default", name: "counted" }, 600) });
  try {
    const subscription = async () => (await insightOf("counted").catch(() => ({ subscriptions: [] }))).subscriptions?.at(-1);
    const eventually = async (check: (s: Awaited<ReturnType<typeof subscription>>) => boolean, what: string) => {
      for (let i = 0; i < 200; i++) {
        const current = await subscription();
        if (check(current)) return current!;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the insight never showed ${what}`);
    };
    const online = await eventually((s) => s !== undefined && !s.disconnectTime, "the open subscription");
    await proxy.until(() => proxy.resources(typeUrls.route).size > 0, "the routes");
    const routesSent = (await subscription())!.status.rds?.responsesSent ?? 0;

    await store.create({ type: "MeshTimeout", mesh: "default", name: "counted-push", spec: { spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { http: { requestTimeout: "17s" } } }] } } });
    await proxy.until(() => JSON.stringify([...proxy.resources(typeUrls.route).values()]).match(/"timeout":\{"seconds":"?17\b/), "the pushed routes");
    await new Promise((resolve) => setTimeout(resolve, 500)); // ten prompt flush intervals
    assert.equal((await subscription())!.status.rds?.responsesSent ?? 0, routesSent, "the push's counters are not written yet");

    await proxy.close();
    const offline = await eventually((s) => s?.id === online.id && s.disconnectTime !== undefined, "the disconnect");
    assert.equal(offline.status.rds?.responsesSent, 2, "the disconnect's write carries the counters: the first routes and the pushed ones");
  } finally {
    await proxy.close();
    await xds.close();
  }
});
