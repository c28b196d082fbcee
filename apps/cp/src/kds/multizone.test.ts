// One global and two zone CPs as real processes on 127.0.0.1, each with its own SQLite store.
import { test } from "node:test";
import assert from "node:assert/strict";
import { status } from "@grpc/grpc-js";
import { createKdsClient, type KdsClient, type KdsStreamEnd } from "@zonemesh/kds";
import { createAdsClient } from "@zonemesh/xds";
import { call } from "../api/testing";
import { isOnline } from "../api/online-status";
import type { CpProcess } from "../testing/cp-process";
import { eventually } from "../testing/eventually";
import { apply, fetchResource, issueZoneToken, listResources, remove, startMultiZone, startZone } from "../testing/multizone";
import { GLOBAL_REFUSES_PROXIES } from "./refuse-proxies";
import { zoneScopedName } from "./zone-scoped-name";

const CONVERGE_MS = 30_000;

const mesh = { type: "Mesh", name: "default" };
const permission = (name: string, action = "Allow") => ({
  type: "MeshTrafficPermission",
  mesh: "default",
  name,
  spec: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action } }] },
});
const dataplane = (name: string, service: string) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": service } }] },
});
const ingress = (name: string, zone: string) => ({
  type: "ZoneIngress",
  name,
  zone,
  networking: { address: "10.0.1.1", port: 10001, advertisedAddress: "192.0.2.1", advertisedPort: 10001 },
});

const permissionIn = (cp: CpProcess, name: string) => fetchResource(cp, "meshtrafficpermissions", name, "default");
const zoneInsight = (global: CpProcess, zone: string) => fetchResource(global, "zone-insights", zone);

/** How the global ends the first stream of a KDS client (in this process) presenting `token` for `zone`. */
async function kdsRefusal(global: CpProcess, zone: string, token: string): Promise<KdsStreamEnd> {
  let client: KdsClient | undefined;
  try {
    return await new Promise<KdsStreamEnd>((resolve) => {
      client = createKdsClient({
        address: global.kdsAddress,
        zone,
        instanceId: `impostor-${zone}`,
        token,
        zoneToGlobal: { types: [], snapshotFor: () => [], subscribe: () => () => {} },
        globalToZone: { types: ["Mesh"], heldFromGlobal: () => [], onGlobalResources: () => assert.fail("an impostor received resources") },
        onStreamClosed: (_kind, end) => resolve(end),
      });
      client.start();
    });
  } finally {
    client?.stop();
  }
}

async function adsRefusal(address: string): Promise<{ code: number; details: string }> {
  const client = createAdsClient(address);
  try {
    return await new Promise((resolve) => {
      const stream = client.StreamAggregatedResources();
      stream.on("data", () => {});
      stream.on("error", (error: { code: number; details: string }) => resolve({ code: error.code, details: error.details }));
      stream.write({ node: { id: "web-1" }, type_url: "type.googleapis.com/envoy.config.listener.v3.Listener" });
    });
  } finally {
    client.close();
  }
}

test("global and zone CPs as processes: sync both ways, survive restarts of either side, refuse impostors and proxies", { timeout: 600_000 }, async (t) => {
  const cluster = await startMultiZone(["east", "west"]);
  let { global } = cluster;
  let { east, west } = cluster.zones as { east: CpProcess; west: CpProcess };
  try {
    await t.test("a connected zone shows on the global as an online Zone with a KDS subscription", async () => {
      for (const zone of ["east", "west"]) {
        await eventually(async () => {
          assert.equal((await fetchResource(global, "zones", zone))?.enabled, true);
          const insight = await zoneInsight(global, zone);
          assert.ok(isOnline(insight), `${zone} online`);
          assert.ok(insight.subscriptions.at(-1).globalInstanceId);
        }, CONVERGE_MS);
      }
    });

    await t.test("a mesh and a policy applied on the global appear in both zones, marked as from the global", async () => {
      await apply(global, "meshes", mesh);
      await apply(global, "meshtrafficpermissions", permission("allow-all"));
      for (const zone of [east, west]) {
        await eventually(async () => {
          assert.equal((await fetchResource(zone, "meshes", "default"))?.labels["kuma.io/origin"], "global");
          const copy = await permissionIn(zone, "allow-all");
          assert.equal(copy?.labels["kuma.io/origin"], "global");
          assert.deepEqual(copy.spec, permission("allow-all").spec);
        }, CONVERGE_MS);
      }
    });

    await t.test("a zone refuses writes of synced types, pointing at the global", async () => {
      const response = await call(east.apiUrl, "PUT", "/meshes/default/meshtrafficpermissions/local", { body: permission("local") });
      assert.equal(response.status, 400);
      assert.match(response.body.detail, /managed by the global control plane/);
      assert.equal((await call(east.apiUrl, "DELETE", "/meshes/default/meshtrafficpermissions/allow-all")).status, 400);
    });

    await t.test("dataplanes of both zones appear on the global under zone-scoped names with origin and zone labels", async () => {
      await apply(east, "dataplanes", dataplane("web-1", "web"));
      await apply(west, "dataplanes", dataplane("web-1", "web"));
      await apply(west, "dataplanes", dataplane("backend-1", "backend"));
      await eventually(async () => {
        const onGlobal = await listResources(global, "dataplanes", "default");
        const summary = onGlobal.map((dp) => [dp.name, dp.labels["kuma.io/zone"], dp.labels["kuma.io/origin"], dp.labels["kuma.io/display-name"]]);
        assert.deepEqual(
          summary.sort(),
          [
            [zoneScopedName("default", "backend-1", "west"), "west", "zone", "backend-1"],
            [zoneScopedName("default", "web-1", "east"), "east", "zone", "web-1"],
            [zoneScopedName("default", "web-1", "west"), "west", "zone", "web-1"],
          ].sort(),
        );
      }, CONVERGE_MS);
      // Nothing of one zone is sent back to another zone as a Dataplane.
      assert.deepEqual((await listResources(east, "dataplanes", "default")).map((dp) => dp.name), ["web-1"]);
    });

    await t.test("a zone's ingress reaches the other zone through the global, not its own zone", async () => {
      await apply(east, "zoneingresses", ingress("ingress", "east"));
      const onGlobal = zoneScopedName("", "ingress", "east");
      await eventually(async () => {
        const copy = await fetchResource(west, "zoneingresses", onGlobal);
        assert.equal(copy?.labels["kuma.io/zone"], "east");
        assert.equal(copy.labels["kuma.io/origin"], "global");
        assert.equal(copy.networking.advertisedAddress, "192.0.2.1");
      }, CONVERGE_MS);
      assert.deepEqual((await listResources(east, "zoneingresses")).map((zi) => zi.name), ["ingress"]);
    });

    await t.test("a zone CP that was down converges to what changed meanwhile, deletions included", async () => {
      await apply(global, "meshtrafficpermissions", permission("to-delete"));
      await eventually(async () => assert.ok(await permissionIn(west, "to-delete")), CONVERGE_MS);
      await west.kill();
      await eventually(async () => assert.equal(isOnline(await zoneInsight(global, "west")), false), CONVERGE_MS);
      // Offline, but its resources stay visible on the global.
      assert.ok(await fetchResource(global, "dataplanes", zoneScopedName("default", "backend-1", "west"), "default"));

      await remove(global, "meshtrafficpermissions", "to-delete", "default");
      await apply(global, "meshtrafficpermissions", permission("allow-all", "Deny"));
      await apply(global, "meshtrafficpermissions", permission("added-while-away"));
      await remove(east, "dataplanes", "web-1", "default");
      west = await west.restart();
      await eventually(async () => {
        assert.equal(await permissionIn(west, "to-delete"), undefined);
        assert.ok(await permissionIn(west, "added-while-away"));
        assert.equal((await permissionIn(west, "allow-all"))?.spec.from[0].default.action, "Deny");
        assert.ok(isOnline(await zoneInsight(global, "west")));
      }, CONVERGE_MS);
      await eventually(async () => {
        assert.equal(await fetchResource(global, "dataplanes", zoneScopedName("default", "web-1", "east"), "default"), undefined);
      }, CONVERGE_MS);
      // The zone kept its own dataplanes through the restart.
      assert.deepEqual((await listResources(west, "dataplanes", "default")).map((dp) => dp.name).sort(), ["backend-1", "web-1"]);
    });

    await t.test("zones keep serving what they hold while the global is down, and both converge when it returns", async () => {
      await global.kill();
      assert.ok(await permissionIn(east, "allow-all"));
      await apply(east, "dataplanes", dataplane("api-1", "api"));
      await remove(west, "dataplanes", "backend-1", "default");
      global = await global.restart();
      await eventually(async () => {
        const names = (await listResources(global, "dataplanes", "default")).map((dp) => dp.labels["kuma.io/display-name"] + "." + dp.labels["kuma.io/zone"]);
        assert.deepEqual(names.sort(), ["api-1.east", "web-1.west"]);
      }, CONVERGE_MS);
      await remove(global, "meshtrafficpermissions", "added-while-away", "default");
      for (const zone of [east, west]) {
        await eventually(async () => assert.equal(await permissionIn(zone, "added-while-away"), undefined), CONVERGE_MS);
        await eventually(async () => assert.ok(isOnline(await zoneInsight(global, zone === east ? "east" : "west"))), CONVERGE_MS);
      }
      const subscriptions = (await zoneInsight(global, "east")).subscriptions;
      assert.ok(subscriptions.length >= 2);
      assert.ok(subscriptions.slice(0, -1).every((s: { disconnectTime?: string }) => s.disconnectTime), "older subscriptions are closed");
    });

    await t.test("a wrong token, a token of another zone and a second CP for a connected zone are refused with their reason", async () => {
      const westToken = await issueZoneToken(global, "west");
      assert.deepEqual(await kdsRefusal(global, "south", westToken), {
        code: status.PERMISSION_DENIED,
        details: 'zone "south" refused: the zone token was issued for zone "west", not "south"',
      });
      const garbage = await kdsRefusal(global, "north", "not-a-token");
      assert.equal(garbage.code, status.UNAUTHENTICATED);
      assert.equal(garbage.details, 'zone "north" refused: zone token refused: token is malformed: not a JWT');

      const secondEast = await startZone(global, "east", await issueZoneToken(global, "east"));
      try {
        await secondEast.waitForOutput(/code 6: zone "east" is already connected from CP instance "[^"]+" .*; refusing instance/);
        // The refused CP received nothing and the first east CP is still the connected one.
        assert.equal(await fetchResource(secondEast, "meshes", "default"), undefined);
        assert.ok(isOnline(await zoneInsight(global, "east")));
      } finally {
        await secondEast.remove();
      }
      assert.equal(await fetchResource(global, "zones", "south"), undefined);
      assert.equal(await fetchResource(global, "zones", "north"), undefined);
      const names = (await listResources(global, "dataplanes", "default")).map((dp) => dp.labels["kuma.io/display-name"] + "." + dp.labels["kuma.io/zone"]);
      assert.deepEqual(names.sort(), ["api-1.east", "web-1.west"]);
    });

    await t.test("a data plane proxy dialing the global gets a clear refusal", async () => {
      const onXdsPort = await adsRefusal(global.xdsAddress);
      assert.equal(onXdsPort.code, status.UNIMPLEMENTED);
      assert.equal(onXdsPort.details, GLOBAL_REFUSES_PROXIES);
      // The KDS port serves only the KDS service: grpc itself answers UNIMPLEMENTED naming the ADS method.
      const onKdsPort = await adsRefusal(global.kdsAddress);
      assert.equal(onKdsPort.code, status.UNIMPLEMENTED);
      assert.match(onKdsPort.details, /AggregatedDiscoveryService\/StreamAggregatedResources/);
    });

    await t.test("deleting an offline zone's Zone removes what it synced", async () => {
      await west.stop();
      await eventually(async () => assert.equal(isOnline(await zoneInsight(global, "west")), false), CONVERGE_MS);
      await remove(global, "zones", "west");
      await eventually(async () => {
        const zones = (await listResources(global, "dataplanes", "default")).map((dp) => dp.labels["kuma.io/zone"]);
        assert.deepEqual(zones, ["east"]);
        assert.equal(await zoneInsight(global, "west"), undefined);
      }, CONVERGE_MS);
    });
  } finally {
    await Promise.all([global, east, west].map((cp) => cp.remove()));
  }
});
