// Service insights, policy counts and the in-memory dataplane index behind filtered dataplane lists, over real HTTP.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { eventually } from "../testing/eventually";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;
const at = "2026-01-01T00:00:00Z";
const connected = { subscriptions: [{ id: "s1", connectTime: at, controlPlaneInstanceId: "cp-1", status: {} }], mTLS: { issuedBackend: "ca-1" } };
const disconnected = { subscriptions: [{ id: "s1", connectTime: at, disconnectTime: at, controlPlaneInstanceId: "cp-1", status: {} }] };
const dataplane = (mesh: string, name: string, zone: string, inbounds: { service: string; ready?: boolean }[]) => ({
  type: "Dataplane",
  mesh,
  name,
  labels: { "kuma.io/zone": zone },
  networking: {
    address: "10.0.0.1",
    inbound: inbounds.map(({ service, ready }, i) => ({ port: 8080 + i, tags: { "kuma.io/service": service }, ...(ready === false ? { health: { ready } } : {}) })),
  },
});

async function put(path: string, body: object) {
  const { status } = await call(api.url, "PUT", path, { body });
  assert.ok(status === 200 || status === 201, `${path}: ${status}`);
}
const putDataplane = async (mesh: string, name: string, zone: string, inbounds: { service: string; ready?: boolean }[], insight?: object) => {
  await put(`/meshes/${mesh}/dataplanes/${name}`, dataplane(mesh, name, zone, inbounds));
  if (insight) await put(`/meshes/${mesh}/dataplane-insights/${name}`, { type: "DataplaneInsight", mesh, name, ...insight });
};
const get = async (path: string) => {
  const { status, body } = await call(api.url, "GET", path);
  assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
  return body;
};

before(async () => {
  api = await startTestApiServer();
  await put("/meshes/default", { type: "Mesh", name: "default" });
  await put("/meshes/payments", { type: "Mesh", name: "payments" });
  await putDataplane("default", "web-1", "east", [{ service: "web" }], connected);
  await putDataplane("default", "web-2", "west", [{ service: "web" }], disconnected);
  // One proxy serving two services, one inbound not ready: api is degraded there, metrics is not.
  await putDataplane("default", "api-1", "east", [{ service: "api", ready: false }, { service: "metrics" }], connected);
  await putDataplane("default", "db-1", "west", [{ service: "db" }]);
  await putDataplane("payments", "ledger-1", "east", [{ service: "ledger" }], connected);
});
after(() => api.close());

const summary = (items: { name: string; status: string; dataplanes: object; zones: { name: string }[] }[]) =>
  items.map((s) => [s.name, s.status, s.dataplanes, s.zones.map((z) => z.name)]);

test("service-insights counts each service's inbounds online/offline, with its zones and status", async () => {
  const body = await get("/meshes/default/service-insights");
  assert.equal(body.total, 4);
  assert.deepEqual(summary(body.items), [
    ["api", "offline", { online: 0, offline: 1, total: 1 }, ["east"]],
    ["db", "offline", { online: 0, offline: 1, total: 1 }, ["west"]],
    ["metrics", "online", { online: 1, offline: 0, total: 1 }, ["east"]],
    ["web", "partially_degraded", { online: 1, offline: 1, total: 2 }, ["east", "west"]],
  ]);
  const web = await get("/meshes/default/service-insights/web");
  assert.deepEqual([web.type, web.mesh, web.serviceType, web.issuedBackends], ["ServiceInsight", "default", "internal", { "ca-1": 1 }]);
  assert.deepEqual(web.zones, [
    { name: "east", dataplanes: { online: 1, offline: 0, total: 1 } },
    { name: "west", dataplanes: { online: 0, offline: 1, total: 1 } },
  ]);
});

test("service-insights filters by name and zone and pages after filtering", async () => {
  assert.deepEqual((await get("/meshes/default/service-insights?zone=west")).items.map((s: { name: string }) => s.name), ["db", "web"]);
  assert.deepEqual((await get("/meshes/default/service-insights?name=e&zone=east")).items.map((s: { name: string }) => s.name), ["metrics", "web"]);
  const page = await get("/meshes/default/service-insights?size=1&offset=1");
  assert.deepEqual([page.total, page.items.map((s: { name: string }) => s.name)], [4, ["db"]]);
  assert.match(page.next, /offset=2/);
  const across = await get("/service-insights?name=ledger");
  assert.deepEqual(across.items.map((s: { mesh: string; name: string }) => [s.mesh, s.name]), [["payments", "ledger"]]);
});

test("service-insights refuses label filters, unknown meshes and unknown services naming the field", async () => {
  const labels = await call(api.url, "GET", "/meshes/default/service-insights?filter[labels.team]=a");
  assert.deepEqual([labels.status, labels.body.invalid_parameters[0].field], [400, "filter[labels.team]"]);
  const mesh = await call(api.url, "GET", "/meshes/nope/service-insights");
  assert.deepEqual([mesh.status, mesh.body.invalid_parameters[0].field], [404, "mesh"]);
  assert.equal((await call(api.url, "GET", "/meshes/default/service-insights/nope")).status, 404);
});

test("a change reaches service-insights within its recompute interval", async () => {
  await get("/meshes/default/service-insights");
  await putDataplane("default", "web-3", "north", [{ service: "web" }], connected);
  await eventually(async () => {
    const web = await get("/meshes/default/service-insights/web");
    assert.deepEqual([web.status, web.dataplanes, web.zones.map((z: { name: string }) => z.name)], ["partially_degraded", { online: 2, offline: 1, total: 3 }, ["east", "north", "west"]]);
  }, 5000);
  assert.equal((await call(api.url, "DELETE", "/meshes/default/dataplanes/web-3")).status, 200);
  await eventually(async () => assert.equal((await get("/meshes/default/service-insights/web")).dataplanes.total, 2), 5000);
});

test("filtered dataplane lists see a write at once: created, insight changed, deleted", async () => {
  const names = async (query: string) => (await get(`/meshes/default/dataplanes+insights?${query}`)).items.map((i: { name: string }) => i.name);
  assert.deepEqual(await names("service=cache"), []);
  await putDataplane("default", "cache-1", "east", [{ service: "cache" }], disconnected);
  assert.deepEqual(await names("service=cache&status=offline"), ["cache-1"]);
  await put("/meshes/default/dataplane-insights/cache-1", { type: "DataplaneInsight", mesh: "default", name: "cache-1", ...connected });
  assert.deepEqual(await names("service=cache&status=online&zone=east"), ["cache-1"]);
  assert.equal((await call(api.url, "DELETE", "/meshes/default/dataplanes/cache-1")).status, 200);
  assert.deepEqual(await names("service=cache"), []);
});

test("a deleted mesh's dataplanes leave the index", async () => {
  await put("/meshes/temp", { type: "Mesh", name: "temp" });
  await putDataplane("temp", "t-1", "east", [{ service: "t" }], connected);
  assert.equal((await get("/dataplanes+insights?service=t")).total, 1);
  assert.equal((await call(api.url, "DELETE", "/meshes/temp")).status, 200);
  assert.equal((await get("/dataplanes+insights?service=t")).total, 0);
});

test("policy-counts gives every policy type's total per mesh and across meshes, counted again after a change", async () => {
  const permission = (mesh: string, name: string) => ({
    type: "MeshTrafficPermission",
    mesh,
    name,
    spec: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] },
  });
  const before = await get("/meshes/default/policy-counts");
  // The mesh's initial policies count too: two MeshTimeouts, one MeshRetry.
  assert.deepEqual([before.policies.MeshTrafficPermission, before.policies.MeshTimeout, before.policies.MeshRetry], [{ total: 0 }, { total: 2 }, { total: 1 }]);
  await put("/meshes/default/meshtrafficpermissions/a", permission("default", "a"));
  await put("/meshes/payments/meshtrafficpermissions/b", permission("payments", "b"));
  assert.deepEqual((await get("/meshes/default/policy-counts")).policies.MeshTrafficPermission, { total: 1 });
  assert.deepEqual((await get("/policy-counts")).policies.MeshTrafficPermission, { total: 2 });
  assert.equal((await call(api.url, "DELETE", "/meshes/payments/meshtrafficpermissions/b")).status, 200);
  assert.deepEqual((await get("/policy-counts")).policies.MeshTrafficPermission, { total: 1 });
  assert.equal((await call(api.url, "GET", "/meshes/nope/policy-counts")).status, 404);
});

test("lists and service insights answer If-None-Match with 304 until something of their type changes", async () => {
  const conditional = (path: string, etag: string) => call(api.url, "GET", path, { headers: { "if-none-match": etag } });
  const first = await call(api.url, "GET", "/meshes/default/meshtimeouts");
  const etag = first.headers.get("etag")!;
  assert.match(etag, /^W\/".+"$/);
  assert.equal((await conditional("/meshes/default/meshtimeouts", etag)).status, 304);
  assert.equal((await conditional("/meshes/payments/meshtimeouts?size=5", etag)).status, 304, "the tag is per type");
  await put("/meshes/payments/meshtimeouts/t", {
    type: "MeshTimeout",
    mesh: "payments",
    name: "t",
    spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] },
  });
  const changed = await conditional("/meshes/default/meshtimeouts", etag);
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get("etag"), etag);

  const services = await get("/meshes/default/service-insights");
  const servicesTag = (await call(api.url, "GET", "/meshes/default/service-insights")).headers.get("etag")!;
  assert.equal((await conditional("/meshes/default/service-insights", servicesTag)).status, 304);
  await putDataplane("default", "late-1", "east", [{ service: "late" }], connected);
  await eventually(async () => {
    const response = await conditional("/meshes/default/service-insights", servicesTag);
    assert.equal(response.status, 200);
    assert.equal(response.body.total, services.total + 1);
  }, 5000);
});
