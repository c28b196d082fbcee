import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;
const connected = (extra: object) => ({ subscriptions: [{ id: "s1", connectTime: "2026-01-01T00:00:00Z", status: {}, ...extra }] });
const disconnected = (extra: object) => ({ subscriptions: [{ id: "s1", connectTime: "2026-01-01T00:00:00Z", disconnectTime: "2026-01-01T01:00:00Z", status: {}, ...extra }] });
const dataplane = (name: string, service: string, inbound: object = {}, mesh = "default") => ({
  type: "Dataplane",
  mesh,
  name,
  networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": service }, ...inbound }] },
});

before(async () => {
  api = await startTestApiServer();
  const put = async (path: string, body: object) => assert.equal((await call(api.url, "PUT", path, { body })).status, 201, path);
  await put("/meshes/default", { type: "Mesh", name: "default", skipCreatingInitialPolicies: ["*"] });
  await put("/zones/east", { type: "Zone", name: "east" });
  await put("/zones/west", { type: "Zone", name: "west" });
  await put("/zone-insights/east", { type: "ZoneInsight", name: "east", ...connected({ globalInstanceId: "g1" }) });
  await put("/zone-insights/west", { type: "ZoneInsight", name: "west", ...disconnected({ globalInstanceId: "g1" }) });
  await put("/meshes/default/dataplanes/web-1", dataplane("web-1", "web"));
  await put("/meshes/default/dataplanes/web-2", dataplane("web-2", "web"));
  await put("/meshes/default/dataplanes/db-1", dataplane("db-1", "db", { tags: { "kuma.io/service": "db", version: "v2" }, health: { ready: false } }));
  await put("/meshes/default/dataplane-insights/web-1", { type: "DataplaneInsight", mesh: "default", name: "web-1", ...connected({ controlPlaneInstanceId: "cp" }) });
  await put("/meshes/default/dataplane-insights/db-1", { type: "DataplaneInsight", mesh: "default", name: "db-1", ...connected({ controlPlaneInstanceId: "cp" }) });
  await put("/meshes/payments", { type: "Mesh", name: "payments", skipCreatingInitialPolicies: ["*"] });
  await put("/meshes/payments/dataplanes/ledger-1", { ...dataplane("ledger-1", "ledger", {}, "payments"), labels: { "kuma.io/zone": "east" } });
  await put("/meshes/default/meshtimeouts/t", {
    type: "MeshTimeout",
    mesh: "default",
    name: "t",
    spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] },
  });
});
after(() => api.close());

test("dataplanes+insights joins each dataplane with its insight", async () => {
  const { status, body } = await call(api.url, "GET", "/meshes/default/dataplanes+insights?size=2");
  assert.equal(status, 200);
  assert.equal(body.total, 3);
  assert.equal(body.items.length, 2);
  assert.ok(body.next);
  const web = (await call(api.url, "GET", "/meshes/default/dataplanes+insights/web-1")).body;
  assert.equal(web.type, "DataplaneOverview");
  assert.equal(web.dataplane.networking.address, "10.0.0.1");
  assert.equal(web.dataplaneInsight.subscriptions[0].controlPlaneInstanceId, "cp");
  assert.deepEqual((await call(api.url, "GET", "/meshes/default/dataplanes+insights/web-2")).body.dataplaneInsight, {});
});

const listed = async (path: string) => {
  const { status, body } = await call(api.url, "GET", path);
  assert.equal(status, 200, JSON.stringify(body));
  return { total: body.total, names: body.items.map((item: { name: string }) => item.name).sort(), next: body.next };
};

test("dataplanes+insights filters by service, tag, zone and status, and counts only what matched", async () => {
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?service=web")).names, ["web-1", "web-2"]);
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?tag=version:v2")).names, ["db-1"]);
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?tag=version")).names, ["db-1"]);
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?tag=kuma.io/service:db&tag=version:v1")).names, []);
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?status=online")).names, ["web-1"]);
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?status=partiallyDegraded")).names, ["db-1"]);
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?status=offline")).names, ["web-2"]);
  assert.deepEqual((await listed("/meshes/payments/dataplanes+insights?zone=east")).names, ["ledger-1"]);
  assert.deepEqual((await listed("/meshes/default/dataplanes+insights?zone=east")).names, []);
});

test("a filtered dataplanes+insights list is paged after filtering", async () => {
  const first = await listed("/meshes/default/dataplanes+insights?service=web&size=1");
  assert.deepEqual([first.total, first.names], [2, ["web-1"]]);
  assert.match(first.next, /service=web/);
  const second = await listed("/meshes/default/dataplanes+insights?service=web&size=1&offset=1");
  assert.deepEqual([second.total, second.names, second.next], [2, ["web-2"], null]);
});

test("dataplanes+insights across meshes takes the same filters", async () => {
  assert.equal((await listed("/dataplanes+insights")).total, 4);
  assert.deepEqual((await listed("/dataplanes+insights?zone=east")).names, ["ledger-1"]);
  assert.deepEqual((await listed("/dataplanes+insights?status=offline")).names, ["ledger-1", "web-2"]);
});

test("a malformed dataplane filter is a 400 naming the parameter", async () => {
  const { status, body } = await call(api.url, "GET", "/meshes/default/dataplanes+insights?status=sleeping");
  assert.equal(status, 400);
  assert.equal(body.invalid_parameters[0].field, "status");
});

test("zone ingresses are served at Kuma's /zoneingresses and at /zone-ingresses", async () => {
  const ingress = { type: "ZoneIngress", name: "ingress-1", zone: "east", networking: { address: "10.0.0.9", port: 10001 } };
  assert.equal((await call(api.url, "PUT", "/zone-ingresses/ingress-1", { body: ingress })).status, 201);
  assert.equal((await call(api.url, "GET", "/zoneingresses/ingress-1")).body.name, "ingress-1");
  assert.deepEqual((await listed("/zone-ingresses")).names, ["ingress-1"]);
  assert.deepEqual((await listed("/zone-ingresses+insights")).names, ["ingress-1"]);
  assert.equal((await call(api.url, "GET", "/zone-ingresses+insights/ingress-1")).body.type, "ZoneIngressOverview");
  assert.equal((await call(api.url, "DELETE", "/zone-ingresses/ingress-1")).status, 200);
  assert.equal((await listed("/zoneingresses")).total, 0);
});

test("zones+insights joins zones with their KDS insight", async () => {
  const { body } = await call(api.url, "GET", "/zones+insights");
  assert.deepEqual(body.items.map((z: { name: string }) => z.name), ["east", "west"]);
  assert.equal(body.items[0].zoneInsight.subscriptions[0].globalInstanceId, "g1");
});

test("global-insight counts meshes, zones online/offline, dataplanes online/offline/partiallyDegraded, services and policies", async () => {
  const { body } = await call(api.url, "GET", "/global-insight");
  assert.deepEqual(body.meshes, { total: 2 });
  assert.deepEqual(body.zones.controlPlanes, { total: 2, online: 1, offline: 1 });
  assert.deepEqual(body.dataplanes.standard, { total: 4, online: 1, offline: 2, partiallyDegraded: 1 });
  assert.deepEqual(body.services.internal, { total: 3, online: 2, offline: 1 });
  assert.deepEqual(body.policies, { total: 1 });
});

test("global-insight counts a change once its recompute interval has passed", async () => {
  const before = (await call(api.url, "GET", "/global-insight")).body.dataplanes.standard.total;
  assert.equal((await call(api.url, "PUT", "/meshes/default/dataplanes/late-1", { body: dataplane("late-1", "late") })).status, 201);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal((await call(api.url, "GET", "/global-insight")).body.dataplanes.standard.total, before + 1);
});
