// A policy change regenerates (and so can re-send to) only the proxies the policy selects before or after the change,
// and every proxy, regenerated or not, holds exactly what a full generation from the store gives.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyRequest } from "fastify";
import { openStore, type OpenedStore } from "@zonemesh/store";
import { createAdsClient, packAny, typeUrls, unpackAny, type AdsClient, type TypeUrl } from "@zonemesh/xds";
import { loadOrCreateSigningKeys } from "../../auth/signing-keys";
import { createTokenService } from "../../auth/tokens";
import { MeshView, generateProxyResources } from "../generate/index";
import { loadMeshState } from "./mesh-state";
import { MeshVips } from "./mesh-vips";
import { EnvoyLikeProxy } from "./testing/envoy-like-proxy";
import { startXdsComponent, type XdsComponent } from "./xds-component";

let dataDir: string;
let store: OpenedStore;
let xds: XdsComponent;
let client: AdsClient;
const proxies = new Map<string, EnvoyLikeProxy>();
const names = ["web-1", "web-2", "backend-1", "db-1"];

const dataplane = (name: string, service: string, port: number) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  spec: {
    networking: {
      address: "127.0.0.1",
      inbound: [{ port, tags: { "kuma.io/service": service, "kuma.io/protocol": "http" } }],
      outbound: [
        { port: 10001, tags: { "kuma.io/service": "backend" } },
        { port: 10002, tags: { "kuma.io/service": "db" } },
      ],
    },
  },
});
const timeoutFor = (name: string, service: string, requestTimeout: string) => ({
  type: "MeshTimeout",
  mesh: "default",
  name,
  spec: { spec: { targetRef: { kind: "MeshService", name: service }, to: [{ targetRef: { kind: "MeshService", name: "db" }, default: { http: { requestTimeout } } }] } },
});

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "zonemesh-xds-policy-push-"));
  store = await openStore({ dataDir });
  const tokens = createTokenService(await loadOrCreateSigningKeys(store));
  await store.create({ type: "Mesh", mesh: "", name: "default", spec: {} });
  await store.create(dataplane("web-1", "web", 8080));
  await store.create(dataplane("web-2", "web", 8081));
  await store.create(dataplane("backend-1", "backend", 9090));
  await store.create(dataplane("db-1", "db", 5432));
  xds = await startXdsComponent({ store, config: { xdsPort: 0 }, tokens });
  client = createAdsClient(`127.0.0.1:${xds.port}`);
  for (const name of names) {
    const proxy = new EnvoyLikeProxy({ client, nodeId: `default.${name}`, token: await tokens.issueToken("dataplane", { mesh: "default", name }, 600) });
    proxies.set(name, proxy);
    await proxy.until(() => proxy.resources(typeUrls.route).size > 0, `${name}'s routes`, 15_000);
  }
});

after(async () => {
  for (const proxy of proxies.values()) await proxy.close();
  client.close();
  await xds.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

const generatedTypes: [keyof ReturnType<typeof generateProxyResources>, TypeUrl][] = [
  ["listeners", typeUrls.listener],
  ["clusters", typeUrls.cluster],
  ["endpoints", typeUrls.endpoint],
  ["routes", typeUrls.route],
];

/** Every proxy holds what a full generation from the store's current state gives it (as the wire carries it). */
async function assertEveryProxyUpToDate(): Promise<void> {
  const state = (await loadMeshState(store, "default"))!;
  const view = new MeshView({ ...state, localZone: "default" });
  const vips = await new MeshVips(store).forServices("default", view.services.keys());
  for (const [name, proxy] of proxies) {
    const dataplane = state.dataplanes.find((d) => d.name === name)!;
    const expected = generateProxyResources({ dataplane, ...state, vips, localZone: "default" }, view);
    for (const [key, typeUrl] of generatedTypes) {
      const wire = (expected[key] as object[]).map((resource) => unpackAny(packAny(typeUrl, resource)));
      assert.deepEqual([...proxy.resources(typeUrl).values()], wire, `${name}'s ${key}`);
    }
  }
}

/** The request timeout of the proxy's route towards db (its outbound on port 10002), in seconds. */
const requestTimeoutTowardsDb = (proxy: EnvoyLikeProxy) =>
  JSON.stringify(proxy.resources(typeUrls.route).get("outbound:127.0.0.1:10002") ?? {}).match(/"timeout":\{"seconds":"?(\d+)/)?.[1];

/** When the proxy's configuration was last generated, as `GET /meshes/default/dataplanes/<name>/xds` shows it. */
async function generatedAt(name: string): Promise<string> {
  const route = xds.routes!.find((r) => r.path === "/meshes/{mesh}/dataplanes/{name}/xds")!;
  const served = (await route.handler({ params: { mesh: "default", name } } as unknown as FastifyRequest, undefined as never)) as { generation: { time: Date } };
  return served.generation.time.toISOString();
}

/**
 * Makes the change, waits for the named proxies' new request timeouts towards db, then tells per proxy how many
 * responses it received, or "regenerated" when it was regenerated without receiving any.
 */
async function changeAndCount(change: () => Promise<unknown>, expected: Record<string, string>): Promise<Record<string, number | "regenerated">> {
  const before = new Map([...proxies].map(([name, proxy]) => [name, proxy.responses]));
  const generated = new Map(await Promise.all(names.map(async (name) => [name, await generatedAt(name)] as const)));
  await change();
  for (const [name, seconds] of Object.entries(expected)) {
    const proxy = proxies.get(name)!;
    await proxy.until(() => requestTimeoutTowardsDb(proxy) === seconds, `${name}'s request timeout of ${seconds} s`);
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // several debounce windows: anything else would have been sent
  return Object.fromEntries(
    await Promise.all(
      [...proxies].map(async ([name, proxy]) => {
        const responses = proxy.responses - before.get(name)!;
        return [name, responses === 0 && (await generatedAt(name)) !== generated.get(name) ? "regenerated" : responses];
      }),
    ),
  );
}

test("a policy selecting one service regenerates and re-sends that service's proxies only; retargeting and deleting it too", async () => {
  // Each affected proxy gets new routes only (the request timeout is on the route): one response each.
  assert.deepEqual(await changeAndCount(() => store.create(timeoutFor("web-to-db", "web", "7s")), { "web-1": "7", "web-2": "7" }), { "web-1": 1, "web-2": 1, "backend-1": 0, "db-1": 0 });
  await assertEveryProxyUpToDate();
  assert.deepEqual(await changeAndCount(() => store.create(timeoutFor("backend-to-db", "backend", "8s")), { "backend-1": "8" }), { "web-1": 0, "web-2": 0, "backend-1": 1, "db-1": 0 });
  await assertEveryProxyUpToDate();
  // Retargeted from web to db: both the proxies it selected and those it selects now change.
  const retargeted = timeoutFor("web-to-db", "db", "9s");
  assert.deepEqual(await changeAndCount(() => store.upsert(retargeted), { "web-1": "15", "web-2": "15", "db-1": "9" }), { "web-1": 1, "web-2": 1, "backend-1": 0, "db-1": 1 });
  await assertEveryProxyUpToDate();
  assert.deepEqual(await changeAndCount(() => store.delete({ type: "MeshTimeout", mesh: "default", name: "backend-to-db" }), { "backend-1": "15" }), { "web-1": 0, "web-2": 0, "backend-1": 1, "db-1": 0 });
  await assertEveryProxyUpToDate();
});

test("a mesh-wide policy still reaches every proxy", async () => {
  const meshWide = { ...timeoutFor("mesh-wide", "unused", "11s"), spec: { spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { http: { requestTimeout: "11s" } } }] } } };
  const counts = await changeAndCount(() => store.create(meshWide), { "web-1": "11", "web-2": "11", "backend-1": "11", "db-1": "9" });
  assert.ok(Object.values(counts).every((count) => typeof count === "number" && count >= 1), JSON.stringify(counts));
  await assertEveryProxyUpToDate();
});

test("a policy on inbounds changes the inbound listener of the proxies it selects, and later pushes keep it", async () => {
  const inboundTimeout = (seconds: number) => ({
    type: "MeshTimeout",
    mesh: "default",
    name: "web-inbound",
    spec: { spec: { targetRef: { kind: "MeshService", name: "web" }, from: [{ targetRef: { kind: "Mesh" }, default: { http: { requestTimeout: `${seconds}s` } } }] } },
  });
  const inboundRouteTimeout = (name: string) => JSON.stringify([...proxies.get(name)!.resources(typeUrls.listener).values()].filter((l) => l.traffic_direction === "INBOUND")).match(/"timeout":\{"seconds":"?(\d+)/)?.[1];
  for (const seconds of [21, 22]) {
    await store.upsert(inboundTimeout(seconds));
    for (const name of ["web-1", "web-2"]) await proxies.get(name)!.until(() => inboundRouteTimeout(name) === String(seconds), `${name}'s inbound timeout of ${seconds} s`);
    await assertEveryProxyUpToDate();
  }
  // An outbound change after it: the inbound listeners built for the last policies are served again, unchanged.
  const listenerVersion = proxies.get("web-1")!.acceptedVersion(typeUrls.listener);
  assert.deepEqual(await changeAndCount(() => store.create(timeoutFor("web-outbound", "web", "23s")), { "web-1": "23", "web-2": "23" }), { "web-1": 1, "web-2": 1, "backend-1": 0, "db-1": 0 });
  assert.equal(proxies.get("web-1")!.acceptedVersion(typeUrls.listener), listenerVersion);
  await assertEveryProxyUpToDate();
  await store.delete({ type: "MeshTimeout", mesh: "default", name: "web-inbound" });
  for (const name of ["web-1", "web-2"]) await proxies.get(name)!.until(() => inboundRouteTimeout(name) !== "22", `${name}'s inbound timeout back to the default`);
  await assertEveryProxyUpToDate();
});
