// The global and zone KDS components in one process, each on its own SQLite store: the checks on what a
// peer sends and whom the global admits, which the multi-process tests do not reach.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKdsClient } from "@zonemesh/kds";
import { openStore, type ResourceStore } from "@zonemesh/store";
import { createTokenService, loadOrCreateSigningKeys, type TokenService } from "../api-server";
import { eventually as eventuallyWithin } from "../testing/eventually";
import { startGlobalKds, type GlobalKds } from "./global-kds";
import { startZoneKds, type ZoneKds } from "./zone-kds";
import { zoneScopedName } from "./zone-scoped-name";

interface Side {
  store: ResourceStore;
  close(): Promise<void>;
}

async function openSide(): Promise<Side> {
  const dir = await mkdtemp(join(tmpdir(), "zonemesh-kds-"));
  const store = await openStore({ dataDir: dir });
  return { store, close: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
}

async function withGlobalAndZone(run: (ctx: { global: Side; zone: Side; kds: GlobalKds; tokens: TokenService; connect(token?: string): ZoneKds }) => Promise<void>) {
  const global = await openSide();
  const zone = await openSide();
  const tokens = createTokenService(await loadOrCreateSigningKeys(global.store));
  const kds = await startGlobalKds({ store: global.store, tokens, instanceId: "global-1", listenAddress: "127.0.0.1:0", insightFlushIntervalMs: 200 });
  const clients: ZoneKds[] = [];
  const validToken = await tokens.issueToken("zone", { zone: "east" }, 600);
  const connect = (token = validToken) => {
    const client = startZoneKds({
      store: zone.store,
      zone: "east",
      globalAddress: `127.0.0.1:${kds.port}`,
      instanceId: "east-1",
      version: "test",
      token: () => token,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    clients.push(client);
    return client;
  };
  try {
    await run({ global, zone, kds, tokens, connect });
  } finally {
    for (const client of clients) await client.close();
    await kds.close();
    await global.close();
    await zone.close();
  }
}

// Generous: under a loaded machine the first connection of a fresh process takes seconds.
const eventually = <T>(check: () => Promise<T> | T) => eventuallyWithin(check, 30_000);

const dataplane = (address: unknown) => ({ networking: { address, inbound: [{ port: 8080, tags: { "kuma.io/service": "web" } }] } });

test("the global NACKs an invalid resource from a zone and stores none of that response", async () => {
  await withGlobalAndZone(async ({ global, zone, connect }) => {
    await zone.store.create({ type: "Dataplane", mesh: "default", name: "ok-1", spec: dataplane("10.0.0.1") });
    await zone.store.create({ type: "Dataplane", mesh: "default", name: "broken-1", spec: dataplane(42) });
    const client = connect().client;
    const nack = await eventually(() => {
      const error = client.stats().streams.zoneToGlobal.stats?.types.Dataplane?.lastNackError;
      assert.ok(error);
      return error;
    });
    assert.match(nack, /Dataplane "default\/broken-1": networking\.address: /);
    assert.equal((await global.store.list({ type: "Dataplane" })).total, 0);

    await zone.store.upsert({ type: "Dataplane", mesh: "default", name: "broken-1", spec: dataplane("10.0.0.2") });
    await eventually(async () => assert.equal((await global.store.list({ type: "Dataplane" })).total, 2));
    assert.ok(await global.store.get({ type: "Dataplane", mesh: "default", name: zoneScopedName("default", "broken-1", "east") }));
  });
});

test("the global stores a zone's resources as that zone's, whatever zone and origin labels it sent", async () => {
  await withGlobalAndZone(async ({ global, kds, tokens }) => {
    const impostor = { mesh: "default", name: "web-1", labels: { "kuma.io/zone": "west", "kuma.io/origin": "global" }, body: dataplane("10.0.0.1") };
    const client = createKdsClient({
      address: `127.0.0.1:${kds.port}`,
      zone: "east",
      instanceId: "raw-east",
      token: await tokens.issueToken("zone", { zone: "east" }, 600),
      zoneToGlobal: { types: ["Dataplane"], snapshotFor: () => [impostor], subscribe: () => () => {} },
      globalToZone: { types: [], heldFromGlobal: () => [], onGlobalResources: () => {} },
    });
    client.start();
    try {
      const stored = await eventually(async () => {
        const { items } = await global.store.list({ type: "Dataplane" });
        assert.equal(items.length, 1);
        return items[0]!;
      });
      assert.equal(stored.name, zoneScopedName("default", "web-1", "east"));
      assert.deepEqual(stored.labels, { "kuma.io/zone": "east", "kuma.io/origin": "zone", "kuma.io/display-name": "web-1" });
    } finally {
      client.stop();
    }
  });
});

test("a disabled Zone is refused; a Mesh deleted on the global is deleted in the zone with what was in it", async () => {
  await withGlobalAndZone(async ({ global, zone, connect }) => {
    await global.store.create({ type: "Zone", mesh: "", name: "east", spec: { enabled: false } });
    const refused = connect();
    await eventually(() => {
      const error = refused.client.stats().streams.globalToZone.lastError;
      assert.equal(error?.details, 'zone "east" refused: zone "east" is disabled on the global control plane (Zone.enabled: false)');
    });
    await refused.close();

    await global.store.upsert({ type: "Zone", mesh: "", name: "east", spec: { enabled: true } });
    await global.store.create({ type: "Mesh", mesh: "", name: "default", spec: {} });
    await zone.store.create({ type: "Dataplane", mesh: "default", name: "web-1", spec: dataplane("10.0.0.1") });
    connect();
    await eventually(async () => assert.equal((await zone.store.get({ type: "Mesh", mesh: "", name: "default" }))?.labels["kuma.io/origin"], "global"));
    await global.store.deleteMesh("default");
    await eventually(async () => assert.equal(await zone.store.get({ type: "Mesh", mesh: "", name: "default" }), null));
    // Deleting the Mesh in the zone removes what was in it, as on the global; the global then drops the copy.
    await eventually(async () => assert.equal((await global.store.list({ type: "Dataplane" })).total, 0));
  });
});

test("deleting a connected zone's Zone removes what it synced, then the zone reconnects and syncs it again", async () => {
  await withGlobalAndZone(async ({ global, zone, connect }) => {
    await zone.store.create({ type: "Dataplane", mesh: "default", name: "web-1", spec: dataplane("10.0.0.1") });
    const { client } = connect();
    const scopedName = zoneScopedName("default", "web-1", "east");
    await eventually(async () => assert.ok(await global.store.get({ type: "Dataplane", mesh: "default", name: scopedName })));
    const connections = client.stats().streams.globalToZone.stats?.openedAt;
    const deleted: string[] = [];
    global.store.subscribe((event) => event.op === "delete" && deleted.push(`${event.type} ${event.name}`));

    await global.store.delete({ type: "Zone", mesh: "", name: "east" });
    await eventually(() => assert.notEqual(client.stats().streams.globalToZone.stats?.openedAt, connections));
    await eventually(async () => {
      assert.ok(await global.store.get({ type: "Zone", mesh: "", name: "east" }));
      assert.ok(await global.store.get({ type: "Dataplane", mesh: "default", name: scopedName }));
      const insight = await global.store.get({ type: "ZoneInsight", mesh: "", name: "east" });
      assert.equal((insight?.spec as { subscriptions: unknown[] }).subscriptions.length, 1, "a fresh insight");
    });
    assert.deepEqual(deleted.sort(), ["Dataplane " + scopedName, "Zone east", "ZoneInsight east"]);
  });
});
