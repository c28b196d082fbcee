// topology.graph against a real global CP: the graph model built from its dataplanes, zones and policies.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
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
});
