// The list procedures against a real global CP API: what they return and which filters the CP or the BFF applies.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { seedDataplane, seedMesh, seedZone, seedZoneIngress, startBff, type BffFixture } from "../testing/cp-api";

let bff: BffFixture;

before(async () => {
  bff = await startBff();
  const { store } = bff;
  await seedMesh(store, "default", true);
  await seedMesh(store, "payments");
  await seedZone(store, "east", true);
  await seedZone(store, "west", false);
  await seedDataplane(store, { mesh: "default", name: "web-1", zone: "east", service: "web", status: "online", tags: { version: "v1" } });
  await seedDataplane(store, { mesh: "default", name: "web-2", zone: "west", service: "web", status: "offline", tags: { version: "v2" } });
  await seedDataplane(store, { mesh: "default", name: "api-1", zone: "east", service: "api", status: "partially_degraded" });
  await seedDataplane(store, { mesh: "payments", name: "ledger-1-x4bz9kq2wn7tvd8c", displayName: "ledger-1", zone: "west", service: "ledger", status: "online" });
  await seedZoneIngress(store, { name: "ingress-west-b7kq2zx9dcmw4npt", displayName: "ingress-west", zone: "west", online: true });
});
after(() => bff.close());

describe("overview.summary", () => {
  it("counts zones and dataplanes by status and reports the CP version", async () => {
    const summary = await bff.caller.overview.summary();
    assert.equal(summary.controlPlane.version, "0.0.0-test");
    assert.deepEqual(summary.zones.controlPlanes, { total: 2, online: 1, offline: 1 });
    assert.equal(summary.meshes.total, 2);
    assert.deepEqual(summary.dataplanes.standard, { total: 4, online: 2, offline: 1, partiallyDegraded: 1 });
  });
});

describe("zones.list", () => {
  it("shows each zone's KDS connection state", async () => {
    const { total, items } = await bff.caller.zones.list({});
    assert.equal(total, 2);
    assert.deepEqual(
      items.map((zone) => [zone.name, zone.online]),
      [["east", true], ["west", false]],
    );
    assert.equal(items[1]?.lastSeen, "2026-11-25T09:00:00Z");
  });
});

describe("zones.ingresses", () => {
  it("shows a zone ingress by its name in the zone beside the zone, with the stored name for API calls", async () => {
    const { items } = await bff.caller.zones.ingresses({});
    assert.deepEqual(
      items.map((ingress) => [ingress.name, ingress.displayName, ingress.zone, ingress.online]),
      [["ingress-west-b7kq2zx9dcmw4npt", "ingress-west", "west", true]],
    );
  });
});

describe("meshes.list", () => {
  it("pages on the CP and shows the enabled mTLS backend and its mode", async () => {
    const first = await bff.caller.meshes.list({ size: 1 });
    assert.equal(first.total, 2);
    assert.deepEqual(first.items.map((mesh) => [mesh.name, mesh.mtls?.backend ?? null, mesh.mtls?.mode ?? null]), [["default", "ca-1", "STRICT"]]);
    const second = await bff.caller.meshes.list({ size: 1, offset: 1 });
    assert.deepEqual(second.items.map((mesh) => mesh.name), ["payments"]);
  });
});

describe("dataplanes.list", () => {
  const names = async (input: Parameters<BffFixture["caller"]["dataplanes"]["list"]>[0]) =>
    (await bff.caller.dataplanes.list(input)).items.map((dp) => dp.name).sort();

  it("filters by zone through the CP's label filter, within a mesh", async () => {
    assert.deepEqual(await names({ mesh: "default", zone: "east" }), ["api-1", "web-1"]);
  });
  it("filters by status, service and tag", async () => {
    assert.deepEqual(await names({ status: "partially_degraded" }), ["api-1"]);
    assert.deepEqual(await names({ status: "offline" }), ["web-2"]);
    assert.deepEqual(await names({ service: "web" }), ["web-1", "web-2"]);
    assert.deepEqual(await names({ tag: "version:v2" }), ["web-2"]);
    assert.deepEqual(await names({ tag: "version" }), ["web-1", "web-2"]);
  });
  it("gets a filtered page and the filtered total from the CP", async () => {
    const page = await bff.caller.dataplanes.list({ mesh: "default", service: "web", status: "offline", size: 1 });
    assert.deepEqual([page.total, page.items.map((dp) => dp.name)], [1, ["web-2"]]);
    const second = await bff.caller.dataplanes.list({ service: "web", size: 1, offset: 1 });
    assert.deepEqual([second.total, second.items.map((dp) => dp.name)], [2, ["web-2"]]);
  });
  it("lists across meshes when no mesh is given, paged", async () => {
    const page = await bff.caller.dataplanes.list({ size: 3 });
    assert.equal(page.total, 4);
    assert.equal(page.items.length, 3);
  });
  it("shows a zone's dataplane by its name in the zone (kuma.io/display-name) and keeps the stored name for links", async () => {
    const { items } = await bff.caller.dataplanes.list({ mesh: "payments" });
    assert.deepEqual(
      items.map((dp) => [dp.name, dp.displayName, dp.zone]),
      [["ledger-1-x4bz9kq2wn7tvd8c", "ledger-1", "west"]],
    );
    const local = await bff.caller.dataplanes.list({ mesh: "default", name: "web-1" });
    assert.deepEqual(local.items.map((dp) => [dp.name, dp.displayName]), [["web-1", "web-1"]]);
  });
  it("turns the CP's 404 for an unknown mesh into NOT_FOUND", async () => {
    await assert.rejects(bff.caller.dataplanes.list({ mesh: "nope" }), (error: { code?: string }) => error.code === "NOT_FOUND");
  });
});

describe("services.list", () => {
  it("derives services per mesh with their zones and healthy/total dataplanes", async () => {
    const { items } = await bff.caller.services.list({ mesh: "default" });
    assert.deepEqual(
      items.map((s) => [s.name, s.zones, s.healthy, s.total, s.status]),
      [
        ["api", ["east"], 0, 1, "offline"],
        ["web", ["east", "west"], 1, 2, "partially_degraded"],
      ],
    );
  });
  it("lists ExternalServices per mesh with their address, protocol and how TLS is originated", async () => {
    await bff.store.upsert({ type: "ExternalService", mesh: "payments", name: "stripe", spec: { tags: { "kuma.io/service": "stripe-api", "kuma.io/protocol": "http" }, networking: { address: "api.stripe.com:443", tls: { enabled: true, serverName: "api.stripe.com", caCert: { secret: "stripe-ca" } } } } });
    await bff.store.upsert({ type: "ExternalService", mesh: "default", name: "ledger-db", spec: { tags: { "kuma.io/service": "ledger-db" }, networking: { address: "10.9.0.5:5432" } } });
    const payments = await bff.caller.services.external({ mesh: "payments" });
    assert.deepEqual(payments.items, [
      { mesh: "payments", name: "stripe", service: "stripe-api", protocol: "http", address: "api.stripe.com:443", tls: { serverName: "api.stripe.com", verified: true, clientCertificate: false } },
    ]);
    const all = await bff.caller.services.external({ name: "ledger" });
    assert.deepEqual([all.total, all.items.map((s) => [s.mesh, s.name, s.protocol, s.tls])], [1, [["default", "ledger-db", "tcp", null]]]);
  });
  it("filters by zone and name and pages on the CP, across meshes when none is given", async () => {
    const west = await bff.caller.services.list({ mesh: "default", zone: "west" });
    assert.deepEqual([west.total, west.items.map((s) => s.name)], [1, ["web"]]);
    const page = await bff.caller.services.list({ size: 1, offset: 1 });
    assert.deepEqual([page.total, page.items.map((s) => `${s.mesh}/${s.name}`)], [3, ["default/web"]]);
    assert.deepEqual((await bff.caller.services.list({ name: "edg" })).items.map((s) => s.name), ["ledger"]);
  });
});
