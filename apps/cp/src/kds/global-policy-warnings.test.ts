// A policy that cannot be translated is reported on the policy: by the zone whose proxies it selects (its own
// `_warnings` route) and by the global, which asks every zone over KDS. Real processes and ADS streams.
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

const dataplane = (name: string, service: string, port: number, outbound: { port: number; tags: Record<string, string> }[] = []) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "127.0.0.1", inbound: [{ port, servicePort: port + 1000, tags: { "kuma.io/service": service, "kuma.io/protocol": "http" } }], outbound },
});

/** A route for web's calls to backend whose only backend is a service the mesh does not have. */
const route = (backend: string) => ({
  type: "MeshHTTPRoute",
  mesh: "default",
  name: "web-to-backend",
  spec: {
    targetRef: { kind: "MeshService", name: "web" },
    to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], default: { backendRefs: [{ kind: "MeshService", name: backend }] } }] }],
  },
});

async function connect(zone: CpProcess, name: string): Promise<EnvoyLikeProxy> {
  const token = await call(zone.apiUrl, "POST", "/tokens/dataplane", { body: { mesh: "default", name } });
  assert.equal(token.status, 200, JSON.stringify(token.body));
  return new EnvoyLikeProxy({ address: zone.xdsAddress, nodeId: `default.${name}`, token: token.body as string });
}

const warningsPath = "/meshes/default/meshhttproutes/web-to-backend/_warnings";

test("a policy that cannot be translated is reported on the policy by its zone and by the global, and names the proxies; others keep their config", { timeout: 300_000 }, async () => {
  const { global, zones } = await startMultiZone(["east", "west"]);
  const { east, west } = zones as { east: CpProcess; west: CpProcess };
  const proxies: EnvoyLikeProxy[] = [];
  try {
    await apply(global, "meshes", { type: "Mesh", name: "default" });
    await apply(global, "meshhttproutes", route("missing"));
    for (const zone of [east, west]) await eventually(async () => assert.ok(await fetchResource(zone, "meshhttproutes", "web-to-backend", "default")), CONVERGE_MS);
    await apply(east, "dataplanes", dataplane("web-1", "web", 8080, [{ port: 10001, tags: { "kuma.io/service": "backend" } }]));
    await apply(east, "dataplanes", dataplane("backend-1", "backend", 9090));
    const web = await connect(east, "web-1");
    const backend = await connect(east, "backend-1");
    proxies.push(web, backend);
    await web.until(() => web.resources(typeUrls.listener).has("outbound:127.0.0.1:10001"), "web's outbound listener", CONVERGE_MS);
    await backend.until(() => backend.resources(typeUrls.listener).has("inbound:127.0.0.1:9090"), "backend's inbound listener", CONVERGE_MS);

    const reasons = ["a rule for backend has no usable backendRefs and was left out", 'backendRef MeshService "missing" is not a known service of the mesh'];
    const fromZone = await eventually(async () => {
      const response = await call(east.apiUrl, "GET", warningsPath);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.warnings.length, 2, JSON.stringify(response.body));
      return response.body;
    }, CONVERGE_MS);
    assert.deepEqual(fromZone, {
      policy: { type: "MeshHTTPRoute", mesh: "default", name: "web-to-backend" },
      warnings: reasons.map((reason) => ({ reason, dataplanes: [{ name: "web-1" }] })),
    });

    const webOnGlobal = { name: zoneScopedName("default", "web-1", "east"), displayName: "web-1" };
    const fromGlobal = await call(global.apiUrl, "GET", warningsPath);
    assert.equal(fromGlobal.status, 200, JSON.stringify(fromGlobal.body));
    assert.deepEqual(fromGlobal.body.warnings, reasons.map((reason) => ({ zone: "east", reason, dataplanes: [webOnGlobal] })));
    assert.deepEqual(fromGlobal.body.zones, [
      { zone: "east", answered: true },
      { zone: "west", answered: true },
    ]);

    const unknown = await call(global.apiUrl, "GET", "/meshes/default/meshhttproutes/nope/_warnings");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.detail, 'MeshHTTPRoute "nope" in mesh "default" not found');
    assert.equal((await call(east.apiUrl, "GET", "/meshes/other/meshtimeouts/nope/_warnings")).status, 404);

    // The proxy the route does not select was served as usual; fixing the route clears the warnings everywhere.
    const backendServed = await call(east.apiUrl, "GET", "/meshes/default/dataplanes/backend-1/xds");
    assert.deepEqual(backendServed.body.generation.warnings, []);
    await apply(global, "meshhttproutes", route("backend"));
    await eventually(async () => {
      const response = await call(global.apiUrl, "GET", warningsPath);
      assert.deepEqual(response.body.warnings, []);
    }, CONVERGE_MS);

    await west.stop();
    const withWestDown = await call(global.apiUrl, "GET", warningsPath);
    assert.equal(withWestDown.status, 200, JSON.stringify(withWestDown.body));
    assert.deepEqual(withWestDown.body.zones[0], { zone: "east", answered: true });
    assert.equal(withWestDown.body.zones[1].zone, "west");
    assert.equal(withWestDown.body.zones[1].answered, false);
    assert.match(withWestDown.body.zones[1].reason, /not connected|disconnected/);
  } finally {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all([global, east, west].map((cp) => cp.remove()));
  }
});
