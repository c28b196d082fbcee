// The global CP on PostgreSQL (zones on SQLite), as real processes: both directions and a global restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startThrowawayPostgres } from "@zonemesh/store/testing";
import { isOnline } from "../api/online-status";
import { eventually } from "../testing/eventually";
import { apply, fetchResource, listResources, remove, startMultiZone } from "../testing/multizone";

const CONVERGE_MS = 30_000;

const timeout = (name: string) => ({
  type: "MeshTimeout",
  mesh: "default",
  name,
  spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { connectionTimeout: "2s" } }] },
});
const dataplane = (name: string) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "10.0.0.2", inbound: [{ port: 9090, tags: { "kuma.io/service": name } }] },
});

test("a global CP on PostgreSQL syncs with two zones and converges after a crash", { timeout: 600_000 }, async (t) => {
  const postgres = await startThrowawayPostgres();
  t.after(() => postgres.stop());
  const cluster = await startMultiZone(["east", "west"], { globalStoreUrl: await postgres.createDatabase() });
  let { global } = cluster;
  const { east, west } = cluster.zones as Record<"east" | "west", typeof global>;
  const zoneDataplanes = async () =>
    (await listResources(global, "dataplanes", "default")).map((dp) => `${dp.labels["kuma.io/display-name"]}.${dp.labels["kuma.io/zone"]}`).sort();
  try {
    await apply(global, "meshes", { type: "Mesh", name: "default" });
    await apply(global, "meshtimeouts", timeout("short"));
    for (const zone of [east, west]) {
      await eventually(async () => assert.equal((await fetchResource(zone, "meshtimeouts", "short", "default"))?.labels["kuma.io/origin"], "global"), CONVERGE_MS);
    }
    await apply(east, "dataplanes", dataplane("web-1"));
    await apply(west, "dataplanes", dataplane("web-1"));
    await eventually(async () => assert.deepEqual(await zoneDataplanes(), ["web-1.east", "web-1.west"]), CONVERGE_MS);

    await global.kill();
    await apply(west, "dataplanes", dataplane("db-1"));
    global = await global.restart();
    await eventually(async () => assert.deepEqual(await zoneDataplanes(), ["db-1.west", "web-1.east", "web-1.west"]), CONVERGE_MS);
    await remove(global, "meshtimeouts", "short", "default");
    for (const [name, zone] of Object.entries({ east, west })) {
      await eventually(async () => {
        assert.equal(await fetchResource(zone, "meshtimeouts", "short", "default"), undefined);
        assert.ok(isOnline(await fetchResource(global, "zone-insights", name)));
      }, CONVERGE_MS);
    }
  } finally {
    await Promise.all([global, east, west].map((cp) => cp.remove()));
  }
});
