// A real standalone CP (SQLite in a temp dir, real ports): resources through the REST API, proxies on real ADS streams.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@zonemesh/testing";
import { typeUrls } from "@zonemesh/xds";
import { call } from "../../api/testing";
import { readConfig } from "../../config";
import { startControlPlane, type ControlPlane } from "../../control-plane";
import { EnvoyLikeProxy } from "./testing/envoy-like-proxy";

let cp: ControlPlane;
let web: EnvoyLikeProxy;
let dataDir: string;
let xdsAddress: string;
const proxies: EnvoyLikeProxy[] = [];

const put = async (path: string, body: object) => {
  const response = await call(cp.api.address.url, "PUT", path, { body });
  assert.ok(response.status < 300, `PUT ${path}: ${response.status} ${JSON.stringify(response.body)}`);
};
const dataplaneToken = async (body: object): Promise<string> => (await call(cp.api.address.url, "POST", "/tokens/dataplane", { body })).body as string;

const dataplane = (name: string, service: string, port: number, outbound: object[] = []) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "127.0.0.1", inbound: [{ port, servicePort: port + 1000, tags: { "kuma.io/service": service, "kuma.io/protocol": "http" } }], outbound },
});
const timeout = (requestTimeout: string) => ({
  type: "MeshTimeout",
  mesh: "default",
  name: "backend-timeout",
  spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { requestTimeout } } }] },
});

function connect(name: string, token: string, extra: Partial<ConstructorParameters<typeof EnvoyLikeProxy>[0]> = {}): EnvoyLikeProxy {
  const proxy = new EnvoyLikeProxy({ address: xdsAddress, nodeId: `default.${name}`, token, ...extra });
  proxies.push(proxy);
  return proxy;
}

/** The route timeout of the outbound to backend, as the proxy accepted it. */
const backendRouteTimeout = (proxy: EnvoyLikeProxy) => JSON.stringify([...proxy.resources(typeUrls.route).values()]).match(/"timeout":\{"seconds":"?(\d+)"?/)?.[1];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "zonemesh-xds-"));
  const xdsPort = await freePort();
  cp = await startControlPlane(readConfig(["--mode", "standalone", "--data-dir", dataDir, "--api-port", "0", "--kds-port", "0", "--xds-port", String(xdsPort)], {}));
  xdsAddress = `127.0.0.1:${xdsPort}`;
  await put("/meshes/default", { type: "Mesh", name: "default" });
  await put("/meshes/other", { type: "Mesh", name: "other" });
  await put("/meshes/default/dataplanes/web-1", dataplane("web-1", "web", 8080, [{ port: 10001, tags: { "kuma.io/service": "backend" } }]));
  await put("/meshes/default/dataplanes/backend-1", dataplane("backend-1", "backend", 9090));
  await put("/meshes/default/meshtimeouts/backend-timeout", timeout("5s"));
});

after(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await cp.close();
  await rm(dataDir, { recursive: true, force: true });
});

test("a proxy with a dataplane token gets LDS, CDS, EDS and RDS computed from the API's resources, and a policy change is pushed within a second", async () => {
  const proxy = (web = connect("web-1", await dataplaneToken({ mesh: "default", name: "web-1" })));
  await proxy.until(() => backendRouteTimeout(proxy) === "5", "the 5s MeshTimeout on the route to backend");
  const listeners = [...proxy.resources(typeUrls.listener).keys()];
  assert.ok(listeners.includes("inbound:127.0.0.1:8080"), listeners.join(", "));
  assert.ok(listeners.includes("outbound:127.0.0.1:10001"), listeners.join(", "));
  assert.ok(proxy.resources(typeUrls.cluster).has("backend"));
  const endpoints = JSON.stringify(proxy.resources(typeUrls.endpoint).get("backend"));
  assert.match(endpoints, /"address":"127.0.0.1","port_value":9090/);

  const changed = Date.now();
  await put("/meshes/default/meshtimeouts/backend-timeout", timeout("7s"));
  await proxy.until(() => backendRouteTimeout(proxy) === "7", "the changed MeshTimeout", 1000);
  const pushMs = Date.now() - changed;
  assert.ok(pushMs < 1000, `pushed after ${pushMs} ms`);
});

test("a stream without a valid token for its node is refused with the reason", async () => {
  const expired = await cp.api.tokens.issueToken("dataplane", { mesh: "default" }, -60);
  const cases: [string, string | undefined, RegExp][] = [
    ["web-1", undefined, /no dataplane token: send "authorization: Bearer <token>"/],
    ["web-1", "not-a-jwt", /dataplane token rejected: token is malformed/],
    ["web-1", expired, /dataplane token rejected: token has expired/],
    ["web-1", await dataplaneToken({ mesh: "other" }), /the dataplane token is for mesh "other", not "default"/],
    ["web-1", await dataplaneToken({ mesh: "default", name: "backend-1" }), /the dataplane token is for dataplane "backend-1", not "web-1"/],
    ["web-1", await dataplaneToken({ mesh: "default", tags: { "kuma.io/service": ["backend"] } }), /allows tag kuma.io\/service in \[backend\]; the Dataplane has web/],
  ];
  for (const [name, token, reason] of cases) {
    const status = await connect(name, token ?? "").status;
    assert.equal(status.code, 16, `UNAUTHENTICATED for ${reason}`);
    assert.match(status.details, reason);
  }
  const badId = await new EnvoyLikeProxy({ address: xdsAddress, nodeId: "no-mesh-in-this-id", token: await dataplaneToken({ mesh: "default" }) }).status;
  assert.match(badId.details, /is not of the form "<mesh>.<dataplane name>"/);
});

test("/xds shows the served config and ACK state; a NACK is recorded there with the proxy's error", async () => {
  await web.until(() => backendRouteTimeout(web), "web-1's config");
  const backend = connect("backend-1", await dataplaneToken({ mesh: "default", name: "backend-1" }), {
    tokenIn: "node",
    reject: (typeUrl) => (typeUrl === typeUrls.listener ? "listener refused by the test" : undefined),
  });
  await backend.until(() => backend.acceptedVersion(typeUrls.cluster), "backend-1's clusters");

  const served = await eventuallyGet("/meshes/default/dataplanes/web-1/xds", (body) => ["lds", "cds", "eds", "rds"].every((s) => body.status[s]?.acknowledged));
  assert.equal(served.nodeId, "default.web-1");
  assert.deepEqual(served.generation.warnings, []);
  const listenerDump = served.configs.find((c: { "@type": string }) => c["@type"].endsWith("ListenersConfigDump"));
  assert.ok(listenerDump.dynamic_listeners.some((l: { name: string }) => l.name === "outbound:127.0.0.1:10001"));
  assert.equal(served.status.lds.lastAckedVersion, web.acceptedVersion(typeUrls.listener));

  const rejected = await eventuallyGet("/meshes/default/dataplanes/backend-1/xds", (body) => body.status.lds?.lastNack);
  assert.equal(rejected.status.lds.lastNack.error, "listener refused by the test");
  assert.equal(rejected.status.lds.acknowledged, false);
  assert.equal(rejected.status.cds.acknowledged, true);

  const missing = await call(cp.api.address.url, "GET", "/meshes/default/dataplanes/nobody/xds");
  assert.equal(missing.status, 404);
  assert.match(missing.body.detail, /dataplane "nobody" of mesh "default" is not connected to this control plane/);

  const metrics = (await call(cp.api.address.url, "GET", "/metrics")).body as string;
  assert.match(metrics, /zonemesh_xds_connected_proxies 2/);
  assert.match(metrics, /zonemesh_xds_nacks_total\{type="lds"\} [1-9]/);
  assert.match(metrics, /zonemesh_xds_responses_sent_total\{type="rds"\} [1-9]/);
  assert.match(metrics, /zonemesh_xds_generation_seconds_count [1-9]/);
});

test("the DataplaneInsight shows the proxy online with its ACK counts, and offline once it disconnects", async () => {
  const proxy = connect("backend-1", await dataplaneToken({ mesh: "default", name: "backend-1" }));
  await proxy.until(() => proxy.acceptedVersion(typeUrls.listener), "backend-1's listeners");
  const newest = (body: any) => body.dataplaneInsight.subscriptions?.at(-1);
  const online = await eventuallyGet("/meshes/default/dataplanes+insights/backend-1", (body) => {
    const subscription = newest(body);
    return subscription && !subscription.disconnectTime && subscription.status.lds?.responsesAcknowledged > 0;
  });
  assert.match(newest(online).controlPlaneInstanceId, /./);
  await proxy.close();
  await eventuallyGet("/meshes/default/dataplanes+insights/backend-1", (body) => newest(body)?.id === newest(online).id && newest(body).disconnectTime);
});

test("the DataplaneInsight subscription carries the versions the proxy reports in node metadata, as kuma-dp sends them", async () => {
  const version = {
    kumaDp: { version: "2.9.1", gitTag: "2.9.1", gitCommit: "abc123", buildDate: "2024-11-05T10:00:00Z" },
    envoy: { version: "1.31.2", build: "abc/1.31.2/Clean/RELEASE/BoringSSL", kumaDpCompatible: true },
  };
  const proxy = connect("web-1", await dataplaneToken({ mesh: "default", name: "web-1" }), { nodeMetadata: { version } });
  await proxy.until(() => proxy.acceptedVersion(typeUrls.listener), "web-1's listeners");
  const body = await eventuallyGet("/meshes/default/dataplanes+insights/web-1", (body) => body.dataplaneInsight.subscriptions?.at(-1)?.version?.kumaDp);
  assert.deepEqual(body.dataplaneInsight.subscriptions.at(-1).version, version);
  await proxy.close();
});

async function eventuallyGet(path: string, ready: (body: any) => unknown, timeoutMs = 5000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await call(cp.api.address.url, "GET", path);
    if (response.status === 200 && ready(response.body)) return response.body;
    if (Date.now() > deadline) assert.fail(`GET ${path} never got ready; last: ${response.status} ${JSON.stringify(response.body).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
