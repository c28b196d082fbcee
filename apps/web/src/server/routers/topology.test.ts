// topology.graph against a real global CP: the graph model built from its service insights, zones and policies.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { seedDataplane, seedMesh, seedZone, startBff, type BffFixture } from "../testing/cp-api";

let bff: BffFixture;
before(async () => {
  bff = await startBff();
  await seedMesh(bff.store, "default", true);
  await seedZone(bff.store, "east", true);
  await seedZone(bff.store, "west", false);
  await seedDataplane(bff.store, { mesh: "default", name: "api-1", zone: "east", service: "api", status: "online" });
});
after(() => bff.close());

describe("topology.graph", () => {
  it("builds the mesh's graph from the CP's dataplanes, zones and policies", async () => {
    await seedDataplane(bff.store, { mesh: "default", name: "web-1", zone: "west", service: "web", status: "online" });
    await bff.caller.policies.upsert({
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "web-to-api",
      spec: { targetRef: { kind: "MeshService", name: "api" }, from: [{ targetRef: { kind: "MeshService", name: "web" }, default: { action: "Allow" } }] },
    });
    const graph = await bff.caller.topology.graph({ mesh: "default" });
    assert.deepEqual(graph.services.map((node) => node.id), ["svc:east/api", "svc:west/web"]);
    assert.deepEqual(graph.zones.map((zone) => [zone.name, zone.online]), [["east", true], ["west", false]]);
    assert.deepEqual(
      graph.edges.map((edge) => [edge.source, edge.target, edge.kind, edge.crossZone, edge.mtls]),
      [["svc:west/web", "svc:east/api", "permits", true, true]],
    );
  });

  it("resolves MeshSubset tags to services through the CP's dataplane filter", async () => {
    await seedDataplane(bff.store, { mesh: "default", name: "api-v2", zone: "east", service: "api", status: "online", tags: { version: "v2" } });
    await bff.caller.policies.upsert({
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "web-to-v2",
      spec: { targetRef: { kind: "MeshSubset", tags: { version: "v2" } }, from: [{ targetRef: { kind: "MeshService", name: "web" }, default: { action: "Allow" } }] },
    });
    await eventually(async () => {
      const graph = await bff.caller.topology.graph({ mesh: "default" });
      const edge = graph.edges.find((candidate) => candidate.target === "svc:east/api");
      assert.deepEqual(edge?.policies.map((policy) => policy.name).sort(), ["web-to-api", "web-to-v2"]);
      assert.deepEqual(graph.services.find((node) => node.id === "svc:east/api")?.total, 2);
    }, 5000);
  });

  it("collapses a graph above the node limit by zone, and cuts a zone's services to the limit with the rest counted", async () => {
    for (let i = 0; i < 6; i++) await seedDataplane(bff.store, { mesh: "default", name: `many-${i}`, zone: "west", service: `many-${i}`, status: "online" });
    await eventually(async () => {
      const collapsed = await bff.caller.topology.graph({ mesh: "default", limit: 5 });
      assert.equal(collapsed.collapsed, true);
      assert.deepEqual(collapsed.services.map((node) => [node.id, node.serviceCount]), [["svc:east/*", 1], ["svc:west/*", 7]]);
      assert.deepEqual([collapsed.totalServiceNodes, collapsed.zoneNames], [8, ["east", "west"]]);
    }, 5000);
    const west = await bff.caller.topology.graph({ mesh: "default", zone: "west", limit: 5 });
    assert.deepEqual([west.collapsed, west.services.length, west.matchingServiceNodes, west.hiddenServiceNodes], [false, 5, 7, 2]);
    const search = await bff.caller.topology.graph({ mesh: "default", search: "web", limit: 1 });
    assert.deepEqual([search.services.map((node) => node.id), search.hiddenServiceNodes], [["svc:west/web"], 1]);
    const forced = await bff.caller.topology.graph({ mesh: "default", collapse: false, limit: 100 });
    assert.equal(forced.services.length, 8);
  });

  it("answers from the graph it built while the CP reports no change, and rebuilds when a zone comes online or a policy changes", async () => {
    const read = () => bff.caller.topology.graph({ mesh: "default", collapse: false, limit: 100 });
    // The same node objects twice: nothing was rebuilt (the service insights settle within a second of a change).
    await eventually(async () => assert.equal((await read()).services[0], (await read()).services[0]), 5000);
    const before = await read();
    await seedZone(bff.store, "west", true);
    const zoneOnline = await read();
    assert.notEqual(zoneOnline.services[0], before.services[0]);
    assert.deepEqual(zoneOnline.zones.map((zone) => [zone.name, zone.online]), [["east", true], ["west", true]]);
    await bff.caller.policies.upsert({
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "many-0-to-api",
      spec: { targetRef: { kind: "MeshService", name: "api" }, from: [{ targetRef: { kind: "MeshService", name: "many-0" }, default: { action: "Allow" } }] },
    });
    const edges = (await read()).edges.map((edge) => `${edge.source}->${edge.target}`);
    assert.ok(edges.includes("svc:west/many-0->svc:east/api"), edges.join(", "));
  });

  it("draws the callers a MeshTrafficPermission lets in by SPIFFE ID (Kuma 2.12+ rules)", async () => {
    await seedDataplane(bff.store, { mesh: "default", name: "ledger-1", zone: "west", service: "ledger", status: "online" });
    await bff.caller.policies.upsert({
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "api-to-ledger-by-id",
      spec: { targetRef: { kind: "MeshService", name: "ledger" }, rules: [{ default: { allow: [{ spiffeID: { type: "Exact", value: "spiffe://default/api" } }] } }] },
    });
    await eventually(async () => {
      const graph = await bff.caller.topology.graph({ mesh: "default" });
      const into = graph.edges.filter((edge) => edge.target === "svc:west/ledger").map((edge) => [edge.source, edge.policies.map((policy) => policy.name).join()]);
      assert.deepEqual(into, [["svc:east/api", "api-to-ledger-by-id"]]);
    }, 5000);
  });

  it("resolves Dataplane targetRefs (Kuma 2.9+) by labels or by the name a dataplane has in its zone", async () => {
    await seedDataplane(bff.store, { mesh: "default", name: "billing-1-x9", displayName: "billing-1", zone: "east", service: "billing", status: "online", labels: { app: "billing" } });
    await seedDataplane(bff.store, { mesh: "default", name: "reports-1-y7", displayName: "reports-1", zone: "west", service: "reports", status: "online" });
    await bff.caller.policies.upsert({
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "reports-1-to-billing",
      spec: { targetRef: { kind: "Dataplane", labels: { app: "billing" } }, from: [{ targetRef: { kind: "MeshService", name: "reports" }, default: { action: "Allow" } }] },
    });
    await bff.caller.policies.upsert({
      type: "MeshHTTPRoute",
      mesh: "default",
      name: "reports-1-routes",
      spec: { targetRef: { kind: "Dataplane", name: "reports-1" }, to: [{ targetRef: { kind: "MeshService", name: "billing" }, rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], default: { backendRefs: [{ kind: "MeshService", name: "api" }] } }] }] },
    });
    await eventually(async () => {
      const graph = await bff.caller.topology.graph({ mesh: "default" });
      const from = graph.edges.filter((edge) => edge.source === "svc:west/reports").map((edge) => [edge.kind, edge.target, edge.policies.map((policy) => policy.name).join()]);
      assert.deepEqual(from.sort(), [
        ["permits", "svc:east/billing", "reports-1-to-billing"],
        ["routes", "svc:east/api", "reports-1-routes"],
      ]);
    }, 5000);
  });
});
