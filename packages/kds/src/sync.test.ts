import assert from "node:assert/strict";
import { after, test } from "node:test";
import { MemoryStore } from "./test-support/memory-store";
import { resource, settled, startGlobal, startZone, waitFor, type TestGlobal, type TestZone } from "./test-support/harness";

const cleanup: Array<() => unknown> = [];
after(() => Promise.all(cleanup.map((close) => close())));

async function connectedPair(zoneName = "zone-a"): Promise<{ global: TestGlobal; zone: TestZone }> {
  const global = await startGlobal();
  cleanup.push(() => global.server.close());
  const zone = startZone({ port: global.port, zone: zoneName });
  cleanup.push(() => zone.client.stop());
  await waitFor("zone connected", () => zone.client.connected());
  return { global, zone };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

test("global resources of several types reach the zone, with updates and deletions", async () => {
  const { global, zone } = await connectedPair();
  global.published.put("Mesh", resource("", "default", { mtls: { enabledBackend: "ca-1" } }));
  global.published.put("MeshTrafficPermission", resource("default", "allow-all", { spec: { from: [] } }, { team: "a" }));
  global.published.put("Secret", resource("default", "mesh-ca", { data: "c2VjcmV0" }));
  await waitFor("initial resources in zone", () => same(zone.fromGlobal.contents(), global.published.contents()));

  global.published.put("MeshTrafficPermission", resource("default", "allow-all", { spec: { from: ["x"] } }, { team: "b" }));
  global.published.remove("Secret", "default", "mesh-ca");
  await waitFor("update and deletion in zone", () => same(zone.fromGlobal.contents(), global.published.contents()));
  assert.deepEqual(zone.fromGlobal.list("MeshTrafficPermission")[0]?.labels, { team: "b" });
  assert.deepEqual(zone.fromGlobal.list("Secret"), []);

  await waitFor("all ACKed", () => settled(global.server.zoneStats("zone-a")?.streams.globalToZone));
  const globalVersion = global.server.zoneStats("zone-a")!.streams.globalToZone!.types.MeshTrafficPermission!.ackedVersion;
  assert.match(globalVersion ?? "", /^[0-9a-f]{16}$/);
  assert.equal(zone.client.stats().streams.globalToZone.stats!.types.MeshTrafficPermission!.ackedVersion, globalVersion);
});

test("zone resources reach the global under the zone's name, with updates and deletions", async () => {
  const { global, zone } = await connectedPair("zone-b");
  zone.published.put("Dataplane", resource("default", "web-1", { networking: { address: "10.0.0.1" } }));
  zone.published.put("Dataplane", resource("default", "web-2", { networking: { address: "10.0.0.2" } }));
  zone.published.put("ZoneIngress", resource("", "ingress", { networking: { port: 10001 } }));
  await waitFor("zone resources on global", () => same(global.fromZone("zone-b").contents(), zone.published.contents()));

  zone.published.remove("Dataplane", "default", "web-1");
  zone.published.put("ZoneIngress", resource("", "ingress", { networking: { port: 10002 } }));
  await waitFor("zone changes on global", () => same(global.fromZone("zone-b").contents(), zone.published.contents()));
  assert.equal(global.fromZone("zone-b").list("Dataplane").length, 1);
});

test("only changed resources are sent, and content that did not change is not re-sent", async () => {
  const { global, zone } = await connectedPair("zone-c");
  for (let i = 0; i < 20; i++) global.published.put("Mesh", resource("", `mesh-${i}`, { index: i }));
  await waitFor("20 meshes in zone", () => zone.fromGlobal.list("Mesh").length === 20);
  await waitFor("last response acked", () => settled(global.server.zoneStats("zone-c")?.streams.globalToZone));
  const before = zone.client.stats().streams.globalToZone.stats!;

  const deltas: number[] = [];
  const original = zone.fromGlobal.apply.bind(zone.fromGlobal);
  zone.fromGlobal.apply = (type, delta) => {
    deltas.push(delta.upserted.length + delta.removed.length);
    original(type, delta);
  };
  global.published.put("Mesh", resource("", "mesh-3", { index: 3 }));
  global.published.put("Mesh", resource("", "mesh-4", { index: 400 }));
  await waitFor("update in zone", () => same(zone.fromGlobal.list("Mesh")[4]?.body, { index: 400 }));

  assert.deepEqual(deltas, [1], "one response carrying only mesh-4");
  const after = zone.client.stats().streams.globalToZone.stats!;
  assert.equal(after.types.Mesh!.responses - before.types.Mesh!.responses, 1);
  const bytes = after.bytesReceived - before.bytesReceived;
  assert.ok(bytes > 0 && bytes < 150, `one small resource on the wire, got ${bytes} bytes`);
});

test("a NACK from the zone shows in both sides' stats with its error, and a later change is applied", async () => {
  const { global, zone } = await connectedPair("zone-d");
  const original = zone.fromGlobal.apply.bind(zone.fromGlobal);
  zone.fromGlobal.apply = (type, delta) => {
    if (delta.upserted.some((r) => r.name === "broken")) throw new Error('MeshTrafficPermission "broken": spec.from is required');
    original(type, delta);
  };
  global.published.put("MeshTrafficPermission", resource("default", "broken", { spec: {} }));
  await waitFor("NACK recorded on global", () => global.server.zoneStats("zone-d")?.streams.globalToZone?.types.MeshTrafficPermission?.nacked === 1);

  const globalStats = global.server.zoneStats("zone-d")!.streams.globalToZone!.types.MeshTrafficPermission!;
  assert.equal(globalStats.lastNackError, 'MeshTrafficPermission "broken": spec.from is required');
  assert.ok(globalStats.lastNackAt instanceof Date);
  const zoneStats = zone.client.stats().streams.globalToZone.stats!.types.MeshTrafficPermission!;
  assert.equal(zoneStats.nacked, 1);
  assert.equal(zoneStats.lastNackError, 'MeshTrafficPermission "broken": spec.from is required');

  global.published.remove("MeshTrafficPermission", "default", "broken");
  global.published.put("MeshTrafficPermission", resource("default", "fixed", { spec: { from: [] } }));
  await waitFor("fixed policy in zone", () => same(zone.fromGlobal.contents(), global.published.contents()));
  await waitFor("ACKed", () => settled(global.server.zoneStats("zone-d")?.streams.globalToZone));
  const after = global.server.zoneStats("zone-d")!.streams.globalToZone!.types.MeshTrafficPermission!;
  assert.deepEqual([after.nacked, after.acked >= 2], [1, true]);
});

test("a NACK from the global of zone resources is visible in the zone's stats", async () => {
  const { global, zone } = await connectedPair("zone-e");
  const store = global.fromZone("zone-e");
  const original = store.apply.bind(store);
  store.apply = (type, delta) => {
    if (delta.upserted.some((r) => r.mesh === "missing")) throw new Error('mesh "missing" does not exist');
    original(type, delta);
  };
  zone.published.put("Dataplane", resource("missing", "web-1", {}));
  await waitFor("NACK in zone stats", () => zone.client.stats().streams.zoneToGlobal.stats?.types.Dataplane?.nacked === 1);
  assert.equal(zone.client.stats().streams.zoneToGlobal.stats!.types.Dataplane!.lastNackError, 'mesh "missing" does not exist');
  assert.equal(global.server.zoneStats("zone-e")!.streams.zoneToGlobal!.types.Dataplane!.nacked, 1);
  assert.deepEqual(store.list("Dataplane"), []);
});

test("bytes on the wire are counted per stream and per zone, the same on both ends", async () => {
  const { global, zone } = await connectedPair("zone-f");
  global.published.put("Mesh", resource("", "default", { big: "x".repeat(1000) }));
  zone.published.put("Dataplane", resource("default", "web-1", { big: "y".repeat(2000) }));
  await waitFor("both synced and acked", () => {
    const synced = zone.fromGlobal.list("Mesh").length === 1 && global.fromZone("zone-f").list("Dataplane").length === 1;
    return synced && settled(global.server.zoneStats("zone-f")?.streams.globalToZone) && settled(zone.client.stats().streams.zoneToGlobal.stats);
  });
  const serverSide = global.server.zoneStats("zone-f")!;
  const clientSide = zone.client.stats();
  assert.ok(serverSide.streams.globalToZone!.bytesSent > 1000);
  assert.ok(serverSide.streams.zoneToGlobal!.bytesReceived > 2000);
  assert.equal(serverSide.bytesSent, clientSide.bytesReceived);
  assert.equal(serverSide.bytesReceived, clientSide.bytesSent);
  assert.equal(serverSide.streams.globalToZone!.bytesSent, clientSide.streams.globalToZone.stats!.bytesReceived);
});

test("each zone gets the snapshot made for it", async () => {
  const ingresses = new MemoryStore();
  const global = await startGlobal({
    published: ingresses,
    overrides: {
      globalToZone: {
        types: ["ZoneIngress"],
        // As the CP will do for ZoneIngresses: every zone's but the receiver's own.
        snapshotFor: (zone, type) => ingresses.list(type).filter((r) => r.labels.zone !== zone),
        subscribe: (onChange) => ingresses.subscribe(onChange),
      },
    },
  });
  cleanup.push(() => global.server.close());
  const zones = ["east", "west"].map((name) => {
    const started = startZone({ port: global.port, zone: name, overrides: { globalToZone: { types: ["ZoneIngress"], heldFromGlobal: () => [], onGlobalResources: (type, delta) => started.fromGlobal.apply(type, delta) } } });
    cleanup.push(() => started.client.stop());
    return started;
  });
  ingresses.put("ZoneIngress", resource("", "east-ingress", {}, { zone: "east" }));
  ingresses.put("ZoneIngress", resource("", "west-ingress", {}, { zone: "west" }));
  await waitFor("ingresses of the other zone", () =>
    zones[0]!.fromGlobal.list("ZoneIngress").length === 1 && zones[1]!.fromGlobal.list("ZoneIngress").length === 1);
  assert.equal(zones[0]!.fromGlobal.list("ZoneIngress")[0]!.name, "west-ingress");
  assert.equal(zones[1]!.fromGlobal.list("ZoneIngress")[0]!.name, "east-ingress");
});
