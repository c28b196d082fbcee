// A zone CP refuses writes of what the global CP owns, and the global CP refuses writes of what zones own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exampleResource } from "./example-resources";
import { call, startTestApiServer } from "./testing";
import { resourceTypes } from "@zonemesh/resources";

const typeNamed = (name: string) => resourceTypes.find((t) => t.name === name)!;

test("zone mode rejects Mesh and policy writes, pointing at the global control plane, and accepts Dataplanes", async () => {
  const api = await startTestApiServer({ mode: "zone", zone: "east" });
  try {
    assert.equal((await call(api.url, "GET", "/")).body.mode, "zone");
    const mesh = await call(api.url, "PUT", "/meshes/default", { body: { type: "Mesh", name: "default" } });
    assert.equal(mesh.status, 400);
    assert.equal(mesh.body.detail, "Mesh is managed by the global control plane; apply it there");

    await api.store.create({ type: "Mesh", mesh: "", name: "default", spec: {} }); // as KDS would sync it
    const mtp = exampleResource(typeNamed("MeshTrafficPermission"), "allow");
    const policy = await call(api.url, "PUT", "/meshes/default/meshtrafficpermissions/allow", { body: mtp });
    assert.equal(policy.status, 400);
    assert.equal(policy.body.detail, "MeshTrafficPermission is managed by the global control plane; apply it there");
    assert.equal(policy.body.invalid_parameters[0].field, "type");
    assert.equal((await call(api.url, "DELETE", "/meshes/default")).status, 400);

    const dataplane = await call(api.url, "PUT", "/meshes/default/dataplanes/web-1", { body: { ...exampleResource(typeNamed("Dataplane"), "web-1"), labels: { app: "web" } } });
    assert.equal(dataplane.status, 201);
    const stored = await call(api.url, "GET", "/meshes/default/dataplanes/web-1");
    assert.deepEqual(stored.body.labels, { app: "web", "kuma.io/origin": "zone", "kuma.io/zone": "east" }, "what the zone authors carries Kuma's origin and zone labels");
    assert.equal((await call(api.url, "POST", "/tokens/zone", { body: { zone: "west" } })).status, 400);
  } finally {
    await api.close();
  }
});

test("global mode rejects Dataplane writes, pointing at the zones, and accepts policies", async () => {
  const api = await startTestApiServer({ mode: "global" });
  try {
    assert.equal((await call(api.url, "PUT", "/meshes/default", { body: { type: "Mesh", name: "default" } })).status, 201);
    const dataplane = await call(api.url, "PUT", "/meshes/default/dataplanes/web-1", { body: exampleResource(typeNamed("Dataplane"), "web-1") });
    assert.equal(dataplane.status, 400);
    assert.match(dataplane.body.detail, /Dataplane is managed by the zone control planes/);
    const policy = await call(api.url, "PUT", "/meshes/default/meshtrafficpermissions/allow", { body: exampleResource(typeNamed("MeshTrafficPermission"), "allow") });
    assert.equal(policy.status, 201);
  } finally {
    await api.close();
  }
});

test("zone mode refuses to change or delete another zone's ZoneIngress synced from the global, and keeps it", async () => {
  const api = await startTestApiServer({ mode: "zone", zone: "east" });
  try {
    const synced = { type: "ZoneIngress", mesh: "", name: "west.ingress-1", labels: { "kuma.io/origin": "global", "kuma.io/zone": "west" }, spec: { zone: "west", networking: { address: "10.0.0.9", port: 10001 } } };
    const stored = await api.store.create(synced);
    const body = { type: "ZoneIngress", name: "west.ingress-1", networking: { address: "127.0.0.1", port: 10001 } };
    const put = await call(api.url, "PUT", "/zoneingresses/west.ingress-1", { body });
    assert.equal(put.status, 400);
    assert.match(put.body.detail, /copy synced from the global control plane/);
    assert.equal(put.body.invalid_parameters[0].field, 'labels["kuma.io/origin"]');
    assert.equal((await call(api.url, "DELETE", "/zoneingresses/west.ingress-1")).status, 400);
    assert.equal((await api.store.get({ type: "ZoneIngress", mesh: "", name: "west.ingress-1" }))?.version, stored.version);

    const own = await call(api.url, "PUT", "/zoneingresses/ingress-1", { body: { ...body, name: "ingress-1" } });
    assert.equal(own.status, 201);
  } finally {
    await api.close();
  }
});
