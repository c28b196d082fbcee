// Proxies that come and go must leave nothing behind: no stream, node, snapshot, watcher, certificate or pending
// insight state, and the proxy that stays connected keeps being served.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type OpenedStore } from "@zonemesh/store";
import { createAdsClient, typeUrls, type AdsClient } from "@zonemesh/xds";
import { loadOrCreateSigningKeys } from "../../auth/signing-keys";
import { createTokenService, type TokenService } from "../../auth/tokens";
import { EnvoyLikeProxy } from "./testing/envoy-like-proxy";
import { startXdsComponent, type XdsComponent } from "./xds-component";

let dataDir: string;
let store: OpenedStore;
let tokens: TokenService;
let xds: XdsComponent;
let client: AdsClient;

const dataplane = (name: string, service: string, port: number) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  spec: { networking: { address: "127.0.0.1", inbound: [{ port, tags: { "kuma.io/service": service, "kuma.io/protocol": "http" } }], outbound: [{ port: 10001, tags: { "kuma.io/service": "backend" } }] } },
});
const timeout = (requestTimeout: string) => ({
  type: "MeshTimeout",
  mesh: "default",
  name: "timeout",
  spec: { spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { requestTimeout } } }] } },
});

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "zonemesh-xds-reconnect-"));
  store = await openStore({ dataDir });
  tokens = createTokenService(await loadOrCreateSigningKeys(store));
  await store.create({ type: "Mesh", mesh: "", name: "default", spec: { mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } } });
  await store.create(dataplane("web-1", "web", 8080));
  await store.create(dataplane("backend-1", "backend", 9090));
  await store.create(timeout("5s"));
  xds = await startXdsComponent({ store, config: { xdsPort: 0 }, tokens, insightFlushIntervalMs: 50 });
  client = createAdsClient(`127.0.0.1:${xds.port}`);
});

after(async () => {
  client.close();
  await xds.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(xds.stats())}`);
  }
}

test("a proxy reconnecting 100 times (half of them cut before their config arrives) leaves no state, and another proxy stays served", async () => {
  const stays = new EnvoyLikeProxy({ client, nodeId: "default.backend-1", token: await tokens.issueToken("dataplane", { mesh: "default", name: "backend-1" }, 600) });
  // The mesh CA's RSA key comes first: seconds on a busy machine.
  await stays.until(() => stays.resources(typeUrls.secret).size === 2, "backend-1's identity and mesh CA secrets", 30_000);
  const stats = xds.stats();

  const token = await tokens.issueToken("dataplane", { mesh: "default", name: "web-1" }, 600);
  for (let i = 0; i < 100; i++) {
    const proxy = new EnvoyLikeProxy({ client, nodeId: "default.web-1", token });
    if (i % 2 === 0) await proxy.until(() => proxy.resources(typeUrls.route).size > 0, `web-1's routes (connection ${i})`);
    await proxy.close();
    await proxy.status;
  }
  await waitFor(() => JSON.stringify(xds.stats()) === JSON.stringify(stats), "the state of one connected proxy");
  assert.deepEqual(xds.stats(), { streams: 1, nodes: 1, connectedProxies: 1, snapshots: 1, watchers: 1, certificates: 1, pendingInsights: 1 });

  const insight = await store.get({ type: "DataplaneInsight", mesh: "default", name: "web-1" });
  const subscriptions = (insight?.spec as { subscriptions: { disconnectTime?: string }[] }).subscriptions;
  assert.equal(subscriptions.length, 5, "a bounded history");
  assert.ok(subscriptions.every((s) => s.disconnectTime));

  const before = stays.acceptedVersion(typeUrls.route);
  await store.upsert(timeout("9s"));
  await stays.until(() => stays.acceptedVersion(typeUrls.route) !== before, "backend-1's routes after a policy change");
});
