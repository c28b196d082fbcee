// A zone ingress proxy on a real zone CP process (with its global): token over REST, ZoneIngress PUT, then an
// Envoy-like ADS stream with node id `.<name>` receives the SNI listener and the EDS clusters of the zone's services.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { typeUrls } from "@zonemesh/xds";
import { call } from "../../api/testing";
import type { CpProcess } from "../../testing/cp-process";
import { eventually } from "../../testing/eventually";
import { apply, startMultiZone } from "../../testing/multizone";
import { EnvoyLikeProxy } from "./testing/envoy-like-proxy";

const CONVERGE_MS = 30_000;

let global: CpProcess;
let east: CpProcess;
const proxies: EnvoyLikeProxy[] = [];

const post = async (path: string, body: object): Promise<string> => {
  const response = await call(east.apiUrl, "POST", path, { body });
  assert.equal(response.status, 200, `POST ${path}: ${JSON.stringify(response.body)}`);
  return response.body as string;
};
const ingressToken = (zone: string) => post("/tokens/zone-ingress", { zone });

const dataplane = (name: string, service: string, port: number) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "127.0.0.1", inbound: [{ port, servicePort: port + 1000, tags: { "kuma.io/service": service } }] },
});
const zoneIngress = (name: string, port: number) => ({
  type: "ZoneIngress",
  name,
  networking: { address: "127.0.0.1", port, advertisedAddress: "127.0.0.1", advertisedPort: port },
});

function connect(nodeId: string, token: string | undefined): EnvoyLikeProxy {
  const proxy = new EnvoyLikeProxy({ address: east.xdsAddress, nodeId, ...(token === undefined ? {} : { token }) });
  proxies.push(proxy);
  return proxy;
}

/** The server names of the ingress listener's filter chains. */
const serverNames = (proxy: EnvoyLikeProxy) =>
  [...proxy.resources(typeUrls.listener).values()].flatMap((listener: any) => listener.filter_chains.flatMap((chain: any) => chain.filter_chain_match?.server_names ?? []));
const endpointsOf = (proxy: EnvoyLikeProxy, cluster: string) => JSON.stringify(proxy.resources(typeUrls.endpoint).get(cluster) ?? null);

async function getWhenReady(cp: CpProcess, path: string, ready: (body: any) => unknown): Promise<any> {
  return eventually(async () => {
    const response = await call(cp.apiUrl, "GET", path);
    assert.equal(response.status, 200, `GET ${path}: ${JSON.stringify(response.body)}`);
    assert.ok(ready(response.body), `GET ${path} not ready: ${JSON.stringify(response.body).slice(0, 2000)}`);
    return response.body;
  }, CONVERGE_MS);
}

before(async () => {
  const cluster = await startMultiZone(["east"]);
  global = cluster.global;
  east = cluster.zones.east!;
  await apply(global, "meshes", { type: "Mesh", name: "default", mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } });
  await eventually(async () => assert.equal((await call(east.apiUrl, "GET", "/meshes/default")).status, 200), CONVERGE_MS);
  await apply(east, "dataplanes", dataplane("backend-1", "backend", 9090));
});

after(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all([global, east].map((cp) => cp?.remove()));
});

test("an ingress with a zone ingress token gets an SNI listener and EDS clusters of the zone's services, and a new service is pushed", { timeout: 120_000 }, async () => {
  const token = await ingressToken("east");
  await apply(east, "zoneingresses", zoneIngress("ingress-1", 10001));
  const ingress = connect(".ingress-1", token);
  await ingress.until(() => serverNames(ingress).includes("backend{mesh=default}"), "the chain of backend", CONVERGE_MS);
  const listener: any = [...ingress.resources(typeUrls.listener).values()][0];
  assert.equal(listener.address.socket_address.port_value, 10001);
  assert.ok(listener.listener_filters.some((filter: { name: string }) => filter.name === "envoy.filters.listener.tls_inspector"), JSON.stringify(listener.listener_filters));
  await ingress.until(() => /"address":"127.0.0.1","port_value":9090/.test(endpointsOf(ingress, "default:backend")), "backend's inbound in EDS");

  await apply(east, "dataplanes", dataplane("redis-1", "redis", 6379));
  await ingress.until(() => serverNames(ingress).includes("redis{mesh=default}"), "the chain of the new service redis", CONVERGE_MS);
  await ingress.until(() => /"port_value":6379/.test(endpointsOf(ingress, "default:redis")), "redis's inbound in EDS");
  assert.ok(ingress.resources(typeUrls.cluster).has("default:backend"));

  // An input change that does not change the ingress's config (a label) regenerates it, and sends nothing.
  const generated = async () => (await call(east.apiUrl, "GET", "/zoneingresses/ingress-1/xds")).body.generation.time;
  const [responses, before] = [ingress.responses, await generated()];
  await apply(east, "dataplanes", { ...dataplane("redis-1", "redis", 6379), labels: { team: "cache" } });
  await getWhenReady(east, "/zoneingresses/ingress-1/xds", (body) => body.generation.time !== before);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(ingress.responses, responses);

  const metrics = (await call(east.apiUrl, "GET", "/metrics")).body as string;
  assert.match(metrics, /zonemesh_xds_connected_proxies 1\b/);
  assert.match(metrics, /zonemesh_xds_streams 1\b/);
});

test("an ingress stream with a dataplane token, a dataplane with an ingress token, a foreign zone's token or no token are refused with the reason", { timeout: 60_000 }, async () => {
  await apply(east, "zoneingresses", zoneIngress("ingress-1", 10001));
  const dataplaneToken = await post("/tokens/dataplane", { mesh: "default" });
  const cases: [string, string | undefined, RegExp][] = [
    [".ingress-1", dataplaneToken, /zone ingress token rejected: token is a dataplane token; a zone-ingress token is required; issue one on this control plane: POST \/tokens\/zone-ingress/],
    ["default.backend-1", await ingressToken("east"), /dataplane token rejected: token is a zone-ingress token; a dataplane token is required/],
    [".ingress-1", await ingressToken("west"), /the zone ingress token is for zone "west"; this control plane is zone "east"/],
    [".ingress-1", undefined, /no zone ingress token: send "authorization: Bearer <token>"/],
    [".", await ingressToken("east"), /node id "." is not of the form "<mesh>.<dataplane name>" \(a dataplane\) or ".<ingress name>" \(a zone ingress\)/],
  ];
  for (const [nodeId, token, reason] of cases) {
    const status = await connect(nodeId, token).status;
    assert.equal(status.code, 16, `UNAUTHENTICATED for ${reason}`);
    assert.match(status.details, reason);
  }
});

test("the ZoneIngressInsight shows the ingress online with its ACK counts, on the zone and the global, and offline once it disconnects", { timeout: 120_000 }, async () => {
  await apply(east, "zoneingresses", zoneIngress("ingress-2", 10002));
  const ingress = connect(".ingress-2", await ingressToken("east"));
  await ingress.until(() => ingress.acceptedVersion(typeUrls.cluster), "ingress-2's clusters", CONVERGE_MS);
  const newest = (body: any) => body.zoneIngressInsight.subscriptions?.at(-1);
  const online = await getWhenReady(east, "/zoneingresses+insights/ingress-2", (body) => {
    const subscription = newest(body);
    return subscription && !subscription.disconnectTime && subscription.status.cds?.responsesAcknowledged > 0;
  });
  assert.match(newest(online).controlPlaneInstanceId, /./);
  await getWhenReady(east, "/global-insight", (body) => body.zones.zoneIngresses.online >= 1);
  await getWhenReady(global, "/zoneingresses+insights?size=100", (body) =>
    body.items.some((item: any) => item.labels["kuma.io/zone"] === "east" && newest(item)?.id === newest(online).id),
  );

  await ingress.close();
  await getWhenReady(east, "/zoneingresses+insights/ingress-2", (body) => newest(body)?.id === newest(online).id && newest(body).disconnectTime);
});

test("/zoneingresses/{name}/xds (and /zone-ingresses) shows the served config; an ingress connected before its registration is served once registered", { timeout: 120_000 }, async () => {
  const ingress = connect(".ingress-3", await ingressToken("east"));
  const unregistered = await getWhenReady(east, "/zoneingresses/ingress-3/xds", (body) => body.generation?.error);
  assert.match(unregistered.generation.error, /there is no ZoneIngress "ingress-3" in zone "east": register it \(PUT \/zoneingresses\/ingress-3\)/);

  await apply(east, "zoneingresses", zoneIngress("ingress-3", 10003));
  await ingress.until(() => serverNames(ingress).includes("backend{mesh=default}"), "ingress-3's chain of backend", CONVERGE_MS);
  for (const path of ["/zoneingresses/ingress-3/xds", "/zone-ingresses/ingress-3/xds"]) {
    const served = await getWhenReady(east, path, (body) => ["lds", "cds", "eds"].every((s) => body.status[s]?.acknowledged));
    assert.equal(served.nodeId, ".ingress-3");
    assert.equal(served.generation.error, undefined);
    const listeners = served.configs.find((c: { "@type": string }) => c["@type"].endsWith("ListenersConfigDump"));
    assert.match(JSON.stringify(listeners.dynamic_listeners), /backend\{mesh=default\}/);
  }
  const missing = await call(east.apiUrl, "GET", "/zoneingresses/nobody/xds");
  assert.equal(missing.status, 404);
  assert.match(missing.body.detail, /zone ingress "nobody" is not connected to this control plane/);
});
