import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;

const dataplane = (name: string, service: string) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": service, "kuma.io/protocol": "http" } }] },
});

const permission = (service: string, action: string) => ({
  type: "MeshTrafficPermission",
  mesh: "default",
  name: "allow-web",
  spec: { targetRef: { kind: "MeshService", name: service }, from: [{ targetRef: { kind: "Mesh" }, default: { action } }] },
});

const timeout = {
  type: "MeshTimeout",
  mesh: "default",
  name: "all-timeouts",
  spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "20s" } }] },
};

before(async () => {
  api = await startTestApiServer();
  const put = async (path: string, body: unknown) => assert.equal((await call(api.url, "PUT", path, { body })).status, 201);
  await put("/meshes/default", { type: "Mesh", name: "default", skipCreatingInitialPolicies: ["*"] });
  await put("/meshes/default/dataplanes/web-1", dataplane("web-1", "web"));
  await put("/meshes/default/dataplanes/web-2", dataplane("web-2", "web"));
  await put("/meshes/default/dataplanes/backend-1", dataplane("backend-1", "backend"));
  await put("/meshes/default/meshtrafficpermissions/allow-web", permission("web", "Allow"));
  await put("/meshes/default/meshtimeouts/all-timeouts", timeout);
});
after(() => api.close());

test("_rules of a dataplane carries the from-rules of the permission that selects it and the to-rules of the timeout", async () => {
  const { status, body } = await call(api.url, "GET", "/meshes/default/dataplanes/web-1/_rules");
  assert.equal(status, 200);
  assert.deepEqual(body.resource, { type: "Dataplane", mesh: "default", name: "web-1", labels: {} });
  const byType = Object.fromEntries(body.rules.map((r: { type: string }) => [r.type, r]));
  assert.deepEqual(Object.keys(byType).sort(), ["MeshTimeout", "MeshTrafficPermission"]);
  assert.equal(byType.MeshTrafficPermission.fromRules[0].inbound.port, 8080);
  assert.deepEqual(byType.MeshTrafficPermission.fromRules[0].rules[0].conf, { action: "Allow" });
  assert.deepEqual(byType.MeshTimeout.toRules[0].conf, { idleTimeout: "20s" });

  const backend = await call(api.url, "GET", "/meshes/default/dataplanes/backend-1/_rules");
  assert.deepEqual(backend.body.rules.map((r: { type: string }) => r.type), ["MeshTimeout"]);
});

test("_policies lists the policies selecting a dataplane, least specific first", async () => {
  const { body } = await call(api.url, "GET", "/meshes/default/dataplanes/web-1/_policies");
  assert.deepEqual(body.items.map((p: { name: string }) => p.name), ["all-timeouts", "allow-web"]);
  assert.equal((await call(api.url, "GET", "/meshes/default/dataplanes/nope/_policies")).status, 404);
});

test("_resources/dataplanes pages the dataplanes a policy selects", async () => {
  const all = await call(api.url, "GET", "/meshes/default/meshtrafficpermissions/allow-web/_resources/dataplanes");
  assert.equal(all.body.total, 2);
  assert.deepEqual(all.body.items.map((d: { name: string }) => d.name), ["web-1", "web-2"]);
  const first = await call(api.url, "GET", "/meshes/default/meshtrafficpermissions/allow-web/_resources/dataplanes?size=1");
  assert.deepEqual(first.body.items.map((d: { name: string }) => d.name), ["web-1"]);
  assert.match(first.body.next, /offset=1/);
});

test("_preview shows the dataplanes an unsaved change would add and drop, and the field diff, without writing", async () => {
  const path = "/meshes/default/meshtrafficpermissions/allow-web/_preview";
  const { status, body } = await call(api.url, "POST", path, { body: permission("backend", "Deny") });
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body.dataplanes.selected.map((d: { name: string }) => d.name), ["backend-1"]);
  assert.deepEqual(body.dataplanes.added.map((d: { name: string }) => d.name), ["backend-1"]);
  assert.deepEqual(body.dataplanes.removed.map((d: { name: string }) => d.name), ["web-1", "web-2"]);
  assert.deepEqual(body.changes, [
    { path: "spec.targetRef.name", op: "replace", from: "web", to: "backend" },
    { path: "spec.from[0].default.action", op: "replace", from: "Allow", to: "Deny" },
  ]);
  const stored = await call(api.url, "GET", "/meshes/default/meshtrafficpermissions/allow-web");
  assert.equal(stored.body.spec.targetRef.name, "web");
  assert.equal(stored.headers.get("etag"), '"1"');

  const invalid = await call(api.url, "POST", path, { body: permission("backend", "Maybe") });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.invalid_parameters[0].field, "spec.from[0].default.action");

  const fresh = await call(api.url, "POST", "/meshes/default/meshtrafficpermissions/new-one/_preview", { body: { ...permission("web", "Allow"), name: "new-one" } });
  assert.equal(fresh.body.stored, null);
  assert.deepEqual(fresh.body.dataplanes.added.map((d: { name: string }) => d.name), ["web-1", "web-2"]);
});
