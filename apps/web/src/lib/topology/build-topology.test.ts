import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildTopology, dataplaneSelectors, selectorKey, type TopologyInput, type TopologyPolicy } from "./build-topology";
import { servicesOf, type TestDataplane } from "./testing";

const dp = (name: string, zone: string | null, service: string, status: TestDataplane["status"] = "online"): TestDataplane => ({ name, zone, service, status });

const permit = (name: string, to: string, from: string | "Mesh", action = "Allow"): TopologyPolicy => ({
  type: "MeshTrafficPermission",
  name,
  body: {
    spec: {
      targetRef: { kind: "MeshService", name: to },
      from: [{ targetRef: from === "Mesh" ? { kind: "Mesh" } : { kind: "MeshService", name: from }, default: { action: action as "Allow" } }],
    },
  },
});

const input = (over: Partial<TopologyInput>): TopologyInput => ({
  mesh: "default",
  mtls: true,
  zones: [
    { name: "east", online: true },
    { name: "west", online: false },
  ],
  services: servicesOf([dp("web-1", "east", "web"), dp("api-1", "east", "api", "offline"), dp("api-2", "west", "api"), dp("db-1", "west", "db")]),
  policies: [],
  selected: new Map(),
  ...over,
});

describe("buildTopology", () => {
  it("places each service in every zone it runs in, with healthy/total dataplanes", () => {
    const topology = buildTopology(input({}));
    assert.deepEqual(topology.zones.map((zone) => [zone.id, zone.online]), [["zone:east", true], ["zone:west", false]]);
    assert.deepEqual(
      topology.services.map((node) => [node.id, node.healthy, node.total]),
      [["svc:east/api", 0, 1], ["svc:east/web", 1, 1], ["svc:west/api", 1, 1], ["svc:west/db", 1, 1]],
    );
  });

  it("draws 'may talk' edges from allowing MeshTrafficPermissions, cross-zone ones flagged, mTLS from the mesh", () => {
    const topology = buildTopology(input({ policies: [permit("web-to-api", "api", "web"), permit("no-db", "db", "web", "Deny")] }));
    assert.deepEqual(
      topology.edges.map((edge) => [edge.source, edge.target, edge.kind, edge.crossZone, edge.mtls, edge.policies.map((policy) => policy.name)]),
      [
        ["svc:east/web", "svc:east/api", "permits", false, true, ["web-to-api"]],
        ["svc:east/web", "svc:west/api", "permits", true, true, ["web-to-api"]],
      ],
    );
  });

  it("marks a service open to the whole mesh instead of drawing an edge from every service", () => {
    const topology = buildTopology(input({ policies: [permit("anyone-to-db", "db", "Mesh")] }));
    assert.deepEqual(topology.edges, []);
    assert.deepEqual(topology.services.find((node) => node.id === "svc:west/db")?.openToMesh, ["anyone-to-db"]);
  });

  it("draws 'may talk' edges from MeshTrafficPermission rules by SPIFFE ID (a deny wins), and the open mark for a prefix of every caller", () => {
    const bySpiffeId = (name: string, to: string, rule: object): TopologyPolicy => ({
      type: "MeshTrafficPermission",
      name,
      body: { spec: { targetRef: { kind: "MeshService", name: to }, rules: [{ default: rule }] } },
    });
    const id = (type: "Exact" | "Prefix", value: string) => ({ spiffeID: { type, value } });
    const topology = buildTopology(
      input({
        policies: [
          bySpiffeId("web-to-db", "db", { allow: [id("Exact", "spiffe://default/web")] }),
          bySpiffeId("a-prefix-to-web", "web", { allowWithShadowDeny: [id("Prefix", "spiffe://default/a")], deny: [id("Exact", "spiffe://default/nobody")] }),
          bySpiffeId("all-but-api", "db", { allow: [id("Prefix", "spiffe://default/")], deny: [id("Exact", "spiffe://default/api")] }),
          bySpiffeId("anyone-to-api", "api", { allow: [id("Prefix", "spiffe://default/")] }),
        ],
      }),
    );
    assert.deepEqual(
      topology.edges.map((edge) => [edge.source, edge.target, edge.policies.map((policy) => policy.name)]).sort(),
      [
        ["svc:east/api", "svc:east/web", ["a-prefix-to-web"]],
        ["svc:east/web", "svc:west/db", ["web-to-db", "all-but-api"]],
        ["svc:west/api", "svc:east/web", ["a-prefix-to-web"]],
      ],
    );
    assert.deepEqual(topology.services.filter((node) => node.openToMesh.length > 0).map((node) => [node.id, node.openToMesh]), [
      ["svc:east/api", ["anyone-to-api"]],
      ["svc:west/api", ["anyone-to-api"]],
    ]);
  });

  it("draws 'routes to' edges to the backends of MeshHTTPRoute and MeshTCPRoute rules", () => {
    const http: TopologyPolicy = {
      type: "MeshHTTPRoute",
      name: "web-split",
      body: {
        spec: {
          targetRef: { kind: "MeshService", name: "web" },
          to: [
            {
              targetRef: { kind: "MeshService", name: "api" },
              rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], default: { backendRefs: [{ kind: "MeshService", name: "db", weight: 100 }] } }],
            },
          ],
        },
      },
    };
    const tcp: TopologyPolicy = {
      type: "MeshTCPRoute",
      name: "api-db",
      body: { spec: { targetRef: { kind: "MeshService", name: "api" }, to: [{ targetRef: { kind: "MeshService", name: "db" }, rules: [] }] } },
    };
    const topology = buildTopology(input({ policies: [http, tcp] }));
    assert.deepEqual(
      topology.edges.map((edge) => [edge.source, edge.target, edge.kind, edge.policies.map((policy) => `${policy.type}/${policy.name}`)]),
      [
        ["svc:east/api", "svc:west/db", "routes", ["MeshTCPRoute/api-db"]],
        ["svc:east/web", "svc:west/db", "routes", ["MeshHTTPRoute/web-split"]],
        ["svc:west/api", "svc:west/db", "routes", ["MeshTCPRoute/api-db"]],
      ],
    );
  });

  it("selects the services resolved for a MeshSubset's tags and puts dataplanes without a zone in the local zone", () => {
    const services = servicesOf([dp("web-1", null, "web"), dp("api-1", null, "api"), dp("db-1", null, "db")]);
    const subset: TopologyPolicy = {
      type: "MeshTrafficPermission",
      name: "v2-only",
      body: { spec: { targetRef: { kind: "MeshSubset", tags: { version: "v2" } }, from: [{ targetRef: { kind: "MeshService", name: "web" }, default: { action: "Allow" } }] } },
    };
    const ref = { kind: "MeshSubset" as const, tags: { version: "v2" } };
    assert.deepEqual(dataplaneSelectors([subset]), [ref]);
    const topology = buildTopology(input({ zones: [], services, policies: [subset], selected: new Map([[selectorKey(ref), ["api"]]]) }));
    assert.deepEqual(topology.zones.map((zone) => zone.id), ["zone:local"]);
    assert.deepEqual(topology.edges.map((edge) => [edge.source, edge.target]), [["svc:local/web", "svc:local/api"]]);
  });

  it("a Dataplane targetRef (Kuma 2.9+) draws its edges to the services resolved for the dataplanes it selects", () => {
    const services = servicesOf([dp("web-1", null, "web"), dp("api-1", null, "api"), dp("db-1", null, "db")]);
    const target = { kind: "Dataplane" as const, labels: { app: "api" } };
    const source = { kind: "Dataplane" as const, name: "web-1" };
    const permit: TopologyPolicy = {
      type: "MeshTrafficPermission",
      name: "web-1-to-api",
      body: { spec: { targetRef: target, from: [{ targetRef: { kind: "MeshSubset", tags: { "kuma.io/service": "web" } }, default: { action: "Allow" } }] } },
    };
    const route: TopologyPolicy = {
      type: "MeshHTTPRoute",
      name: "web-1-to-db",
      body: { spec: { targetRef: source, to: [{ targetRef: { kind: "MeshService", name: "api" }, rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], default: { backendRefs: [{ kind: "MeshService", name: "db" }] } }] }] } },
    };
    assert.deepEqual(dataplaneSelectors([permit, route]).map(selectorKey), [target, { kind: "MeshSubset", tags: { "kuma.io/service": "web" } }, source].map((ref) => selectorKey(ref as never)));
    const selected = new Map([
      [selectorKey(target), ["api"]],
      [selectorKey({ kind: "MeshSubset", tags: { "kuma.io/service": "web" } }), ["web"]],
      [selectorKey(source), ["web"]],
    ]);
    const topology = buildTopology(input({ zones: [], services, policies: [permit, route], selected }));
    assert.deepEqual(topology.edges.map((edge) => [edge.kind, edge.source, edge.target]).sort(), [
      ["permits", "svc:local/web", "svc:local/api"],
      ["routes", "svc:local/web", "svc:local/db"],
    ]);
  });
});
