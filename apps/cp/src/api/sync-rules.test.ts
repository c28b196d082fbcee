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

    const dataplane = await call(api.url, "PUT", "/meshes/default/dataplanes/web-1", { body: exampleResource(typeNamed("Dataplane"), "web-1") });
    assert.equal(dataplane.status, 201);
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
