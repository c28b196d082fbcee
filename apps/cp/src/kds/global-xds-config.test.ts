// The global's `/xds` routes through real processes: the global asks the zone a proxy is connected to, over the
// KDS requests stream the zone opened, and answers what that zone's own route answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { typeUrls } from "@zonemesh/xds";
import { call } from "../api/testing";
import type { CpProcess } from "../testing/cp-process";
import { eventually } from "../testing/eventually";
import { apply, fetchResource, startMultiZone } from "../testing/multizone";
import { EnvoyLikeProxy } from "../xds/server/testing/envoy-like-proxy";
import { zoneScopedName } from "./zone-scoped-name";

const CONVERGE_MS = 60_000;

const dataplane = (name: string, port: number) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "127.0.0.1", inbound: [{ port, servicePort: port + 1000, tags: { "kuma.io/service": name, "kuma.io/protocol": "http" } }] },
});

/** The names of the dynamic listeners in a `/xds` answer. */
function listenerNames(served: { configs: Array<Record<string, unknown>> }): string[] {
  const dump = served.configs.find((config) => config["@type"] === "type.googleapis.com/envoy.admin.v3.ListenersConfigDump")!;
  return (dump.dynamic_listeners as Array<{ name: string }>).map((listener) => listener.name).sort();
}

test("the global answers a dataplane's and a zone ingress's /xds by asking their zone; an offline zone is a 503 naming it, an unknown dataplane a 404", { timeout: 300_000 }, async () => {
  const { global, zones } = await startMultiZone(["east", "west"]);
  const { east, west } = zones as { east: CpProcess; west: CpProcess };
  let proxy: EnvoyLikeProxy | undefined;
  let ingress: EnvoyLikeProxy | undefined;
  try {
    await apply(global, "meshes", { type: "Mesh", name: "default" });
    await eventually(async () => assert.ok(await fetchResource(east, "meshes", "default")), CONVERGE_MS);
    await eventually(async () => assert.ok(await fetchResource(west, "meshes", "default")), CONVERGE_MS);
    await apply(east, "dataplanes", dataplane("web-1", 8080));
    await apply(west, "dataplanes", dataplane("api-1", 9090));
    const token = await call(east.apiUrl, "POST", "/tokens/dataplane", { body: { mesh: "default", name: "web-1" } });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    proxy = new EnvoyLikeProxy({ address: east.xdsAddress, nodeId: "default.web-1", token: token.body as string });
    await proxy.until(() => proxy!.resources(typeUrls.listener).has("inbound:127.0.0.1:8080"), "the inbound listener", CONVERGE_MS);

    const onGlobal = zoneScopedName("default", "web-1", "east");
    await eventually(async () => assert.ok(await fetchResource(global, "dataplanes", onGlobal, "default")), CONVERGE_MS);
    const fromZone = await call(east.apiUrl, "GET", "/meshes/default/dataplanes/web-1/xds");
    const fromGlobal = await call(global.apiUrl, "GET", `/meshes/default/dataplanes/${onGlobal}/xds`);
    assert.equal(fromGlobal.status, 200, JSON.stringify(fromGlobal.body));
    assert.equal(fromGlobal.body.nodeId, "default.web-1");
    assert.equal(fromGlobal.body.controlPlaneInstanceId, fromZone.body.controlPlaneInstanceId);
    assert.deepEqual(listenerNames(fromGlobal.body), listenerNames(fromZone.body));
    assert.ok(listenerNames(fromGlobal.body).includes("inbound:127.0.0.1:8080"));

    await apply(east, "zoneingresses", {
      type: "ZoneIngress",
      name: "ingress-1",
      networking: { address: "127.0.0.1", port: 10001, advertisedAddress: "127.0.0.1", advertisedPort: 10001 },
    });
    const ingressToken = await call(east.apiUrl, "POST", "/tokens/zone-ingress", { body: { zone: "east" } });
    assert.equal(ingressToken.status, 200, JSON.stringify(ingressToken.body));
    ingress = new EnvoyLikeProxy({ address: east.xdsAddress, nodeId: ".ingress-1", token: ingressToken.body as string });
    // Without services to route (no mTLS mesh here) an ingress may have no listeners: served is what counts.
    const ingressFromZone = await eventually(async () => {
      const response = await call(east.apiUrl, "GET", "/zoneingresses/ingress-1/xds");
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response;
    }, CONVERGE_MS);
    const ingressOnGlobal = zoneScopedName("", "ingress-1", "east");
    await eventually(async () => assert.ok(await fetchResource(global, "zoneingresses", ingressOnGlobal)), CONVERGE_MS);
    for (const path of [`/zoneingresses/${ingressOnGlobal}/xds`, `/zone-ingresses/${ingressOnGlobal}/xds`]) {
      const response = await call(global.apiUrl, "GET", path);
      assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.nodeId, ".ingress-1");
      assert.equal(response.body.controlPlaneInstanceId, ingressFromZone.body.controlPlaneInstanceId);
      assert.deepEqual(listenerNames(response.body), listenerNames(ingressFromZone.body));
    }

    // Known to the global, but no proxy is connected to west for it: west's own 404, named.
    const apiOnGlobal = zoneScopedName("default", "api-1", "west");
    await eventually(async () => assert.ok(await fetchResource(global, "dataplanes", apiOnGlobal, "default")), CONVERGE_MS);
    const notConnected = await call(global.apiUrl, "GET", `/meshes/default/dataplanes/${apiOnGlobal}/xds`);
    assert.equal(notConnected.status, 404);
    assert.match(notConnected.body.detail, /^zone "west": dataplane "api-1" of mesh "default" is not connected to this control plane/);

    const unknown = await call(global.apiUrl, "GET", "/meshes/default/dataplanes/nope/xds");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.detail, 'dataplane "nope" of mesh "default" not found');
    for (const path of ["/zoneingresses/nope/xds", "/zone-ingresses/nope/xds"]) {
      const response = await call(global.apiUrl, "GET", path);
      assert.equal(response.status, 404, path);
      assert.equal(response.body.detail, 'zone ingress "nope" not found');
    }

    await west.stop();
    const offline = await call(global.apiUrl, "GET", `/meshes/default/dataplanes/${apiOnGlobal}/xds`);
    assert.equal(offline.status, 503);
    assert.match(offline.body.detail, /is in zone "west", which cannot be asked now: zone "west" (is not connected to this global control plane|disconnected before answering)/);
  } finally {
    await Promise.all([proxy?.close(), ingress?.close()]);
    await Promise.all([global, east, west].map((cp) => cp.remove()));
  }
});
