import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;
const connected = (extra: object) => ({ subscriptions: [{ id: "s1", connectTime: "2026-01-01T00:00:00Z", status: {}, ...extra }] });
const disconnected = (extra: object) => ({ subscriptions: [{ id: "s1", connectTime: "2026-01-01T00:00:00Z", disconnectTime: "2026-01-01T01:00:00Z", status: {}, ...extra }] });
const dataplane = (name: string, service: string) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": service } }] },
});

before(async () => {
  api = await startTestApiServer();
  const put = async (path: string, body: object) => assert.equal((await call(api.url, "PUT", path, { body })).status, 201, path);
  await put("/meshes/default", { type: "Mesh", name: "default" });
  await put("/zones/east", { type: "Zone", name: "east" });
  await put("/zones/west", { type: "Zone", name: "west" });
  await put("/zone-insights/east", { type: "ZoneInsight", name: "east", ...connected({ globalInstanceId: "g1" }) });
  await put("/zone-insights/west", { type: "ZoneInsight", name: "west", ...disconnected({ globalInstanceId: "g1" }) });
  await put("/meshes/default/dataplanes/web-1", dataplane("web-1", "web"));
  await put("/meshes/default/dataplanes/web-2", dataplane("web-2", "web"));
  await put("/meshes/default/dataplanes/db-1", dataplane("db-1", "db"));
  await put("/meshes/default/dataplane-insights/web-1", { type: "DataplaneInsight", mesh: "default", name: "web-1", ...connected({ controlPlaneInstanceId: "cp" }) });
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
  assert.deepEqual((await call(api.url, "GET", "/meshes/default/dataplanes+insights/db-1")).body.dataplaneInsight, {});
});

test("zones+insights joins zones with their KDS insight", async () => {
  const { body } = await call(api.url, "GET", "/zones+insights");
  assert.deepEqual(body.items.map((z: { name: string }) => z.name), ["east", "west"]);
  assert.equal(body.items[0].zoneInsight.subscriptions[0].globalInstanceId, "g1");
});

test("global-insight counts meshes, zones online/offline, dataplanes, services and policies", async () => {
  const { body } = await call(api.url, "GET", "/global-insight");
  assert.deepEqual(body.meshes, { total: 1 });
  assert.deepEqual(body.zones.controlPlanes, { total: 2, online: 1, offline: 1 });
  assert.deepEqual(body.dataplanes.standard, { total: 3, online: 1, offline: 2 });
  assert.deepEqual(body.services.internal, { total: 2, online: 1, offline: 1 });
  assert.deepEqual(body.policies, { total: 1 });
});
