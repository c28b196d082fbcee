import assert from "node:assert/strict";
import { after, test } from "node:test";
import { resource, startGlobal, startZone, waitFor, type TestGlobal, type TestZone } from "./test-support/harness";
import { startTcpProxy } from "./test-support/tcp-proxy";

const cleanup: Array<() => unknown> = [];
after(() => Promise.all(cleanup.map((close) => close())));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const converged = (global: TestGlobal, zone: TestZone, zoneName: string) =>
  same(zone.fromGlobal.contents(), global.published.contents()) &&
  same(global.fromZone(zoneName).contents(), zone.published.contents());

async function syncedPair(zoneName: string) {
  const global = await startGlobal();
  cleanup.push(() => global.server.close());
  const zone = startZone({ port: global.port, zone: zoneName });
  cleanup.push(() => zone.client.stop());
  await seed(global, zone, zoneName);
  return { global, zone };
}

async function seed(global: TestGlobal, zone: TestZone, zoneName: string): Promise<void> {
  global.published.put("Mesh", resource("", "default", { mtls: null }));
  global.published.put("MeshTrafficPermission", resource("default", "keep", { spec: { v: 1 } }));
  global.published.put("MeshTrafficPermission", resource("default", "update-me", { spec: { v: 1 } }));
  global.published.put("Secret", resource("default", "delete-me", { data: "x" }));
  zone.published.put("Dataplane", resource("default", "keep", { v: 1 }));
  zone.published.put("Dataplane", resource("default", "update-me", { v: 1 }));
  zone.published.put("ZoneIngress", resource("", "delete-me", { v: 1 }));
  await waitFor("initial sync", () => converged(global, zone, zoneName));
}

function changeBothSides(global: TestGlobal, zone: TestZone): void {
  global.published.put("MeshTrafficPermission", resource("default", "added", { spec: { v: 1 } }));
  global.published.put("MeshTrafficPermission", resource("default", "update-me", { spec: { v: 2 } }, { changed: "yes" }));
  global.published.remove("Secret", "default", "delete-me");
  zone.published.put("Dataplane", resource("default", "added", { v: 1 }));
  zone.published.put("Dataplane", resource("default", "update-me", { v: 2 }));
  zone.published.remove("ZoneIngress", "", "delete-me");
}

function assertChangesArrived(global: TestGlobal, zone: TestZone, zoneName: string): void {
  assert.deepEqual(zone.fromGlobal.list("MeshTrafficPermission").map((r) => r.name).sort(), ["added", "keep", "update-me"]);
  assert.deepEqual(zone.fromGlobal.list("Secret"), []);
  assert.deepEqual(global.fromZone(zoneName).list("Dataplane").map((r) => r.name).sort(), ["added", "keep", "update-me"]);
  assert.deepEqual(global.fromZone(zoneName).list("ZoneIngress"), []);
}

test("after a global restart on the same port, both sides converge with changes made while apart", async () => {
  const { global, zone } = await syncedPair("zone-a");
  await global.server.close();
  await waitFor("zone notices the global is gone", () => !zone.client.connected());

  changeBothSides(global, zone);
  const restarted = await startGlobal({ port: global.port, published: global.published, fromZones: global.fromZones });
  cleanup.push(() => restarted.server.close());

  await waitFor("convergence after global restart", () => converged(restarted, zone, "zone-a"));
  assertChangesArrived(restarted, zone, "zone-a");
  assert.deepEqual(restarted.server.connectedZones().map((z) => z.zone), ["zone-a"]);
});

test("after a zone CP restart, both sides converge with changes made while it was down", async () => {
  const { global, zone } = await syncedPair("zone-b");
  zone.client.stop();
  await waitFor("global notices the zone is gone", () => global.server.connectedZones().length === 0);
  assert.equal(global.server.zoneStats("zone-b")?.connected, false);
  assert.ok(global.server.zoneStats("zone-b")?.disconnectedAt instanceof Date);

  changeBothSides(global, zone);
  const restarted = startZone({
    port: global.port,
    zone: "zone-b",
    instanceId: "zone-b-cp-2",
    published: zone.published,
    fromGlobal: zone.fromGlobal,
  });
  cleanup.push(() => restarted.client.stop());

  await waitFor("convergence after zone restart", () => converged(global, restarted, "zone-b"));
  assertChangesArrived(global, restarted, "zone-b");
  assert.equal(global.server.zoneStats("zone-b")?.connections, 2);
  assert.equal(global.server.zoneStats("zone-b")?.instanceId, "zone-b-cp-2");
});

test("after a network cut between running CPs, both sides converge with changes made during the cut", async () => {
  const global = await startGlobal();
  cleanup.push(() => global.server.close());
  const proxy = await startTcpProxy(global.port);
  cleanup.push(() => proxy.close());
  const zone = startZone({ port: proxy.port, zone: "zone-d" });
  cleanup.push(() => zone.client.stop());
  await seed(global, zone, "zone-d");

  proxy.cut();
  await waitFor("both sides notice the cut", () => !zone.client.connected() && global.server.connectedZones().length === 0);
  changeBothSides(global, zone);
  proxy.restore();

  await waitFor("convergence after the cut", () => converged(global, zone, "zone-d"));
  assertChangesArrived(global, zone, "zone-d");
});

test("a resync sends only the difference from what the receiver already holds", async () => {
  const { global, zone } = await syncedPair("zone-c");
  for (let i = 0; i < 50; i++) global.published.put("Mesh", resource("", `mesh-${i}`, { index: i }));
  await waitFor("50 meshes in zone", () => zone.fromGlobal.list("Mesh").length === 51);
  zone.client.stop();
  await waitFor("zone gone", () => global.server.connectedZones().length === 0);

  global.published.remove("Mesh", "", "mesh-7");
  const restarted = startZone({ port: global.port, zone: "zone-c", published: zone.published, fromGlobal: zone.fromGlobal });
  cleanup.push(() => restarted.client.stop());
  const received: string[] = [];
  const apply = restarted.fromGlobal.apply.bind(restarted.fromGlobal);
  restarted.fromGlobal.apply = (type, delta) => {
    received.push(...delta.upserted.map((r) => `${type} ${r.name}`), ...delta.removed.map((r) => `${type} -${r.name}`));
    apply(type, delta);
  };

  await waitFor("convergence", () => converged(global, restarted, "zone-c"));
  assert.deepEqual(received, ["Mesh -mesh-7"]);
});
