// Filtering and layout of the graph model, as the topology page applies them before rendering.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildServiceGraph, buildTopology, type TopologyInput, type TopologyPolicy } from "./build-topology";
import { SERVICE_SIZE, ZONE_HEADER, layoutTopology } from "./layout-topology";
import { servicesOf, type TestDataplane } from "./testing";
import { topologyView } from "./topology-view";

const dp = (name: string, zone: string, service: string): TestDataplane => ({ name, zone, service, status: "online" });
const permit = (to: string, from: string): TopologyPolicy => ({
  type: "MeshTrafficPermission",
  name: `${from}-to-${to}`,
  body: { spec: { targetRef: { kind: "MeshService", name: to }, from: [{ targetRef: { kind: "MeshService", name: from }, default: { action: "Allow" } }] } },
});

const input: TopologyInput = {
  mesh: "default",
  mtls: false,
  zones: [
    { name: "east", online: true },
    { name: "west", online: true },
    { name: "north", online: true },
  ],
  services: servicesOf([dp("web-1", "east", "web"), dp("api-1", "east", "api"), dp("db-1", "west", "db"), dp("cache-1", "west", "cache"), dp("batch-1", "east", "batch")]),
  policies: [permit("api", "web"), permit("db", "api")],
  selected: new Map(),
};
const topology = buildTopology(input);
const graph = buildServiceGraph(input);
const filterTopology = (filter: { zone?: string; search?: string; focus?: string }) => topologyView(graph, { ...filter, collapse: false, limit: 100 });

const ids = (t: { services: { id: string }[] }) => t.services.map((node) => node.id);

describe("topologyView filters", () => {
  it("keeps one zone's services and the zone alone", () => {
    const filtered = filterTopology({ zone: "west" });
    assert.deepEqual(ids(filtered), ["svc:west/cache", "svc:west/db"]);
    assert.deepEqual(filtered.zones.map((zone) => zone.name), ["west"]);
    assert.deepEqual(filtered.edges, []);
  });

  it("searches by service name and shows the matches' neighbours", () => {
    const filtered = filterTopology({ search: "API" });
    assert.deepEqual(ids(filtered), ["svc:east/api", "svc:east/web", "svc:west/db"]);
    assert.equal(filtered.edges.length, 2);
  });

  it("focuses on a node and its direct neighbours only", () => {
    const filtered = filterTopology({ focus: "svc:west/db" });
    assert.deepEqual(ids(filtered), ["svc:east/api", "svc:west/db"]);
    assert.deepEqual(filtered.edges.map((edge) => edge.id), ["permits:svc:east/api->svc:west/db"]);
  });

  it("ignores a focus on a node that no longer exists", () => {
    assert.equal(filterTopology({ focus: "svc:east/gone" }).services.length, 5);
  });
});

describe("layoutTopology", () => {
  const layout = layoutTopology(topology);
  // web and api run in both zones.
  const sharedRanks = buildTopology({
    mesh: "default",
    mtls: true,
    zones: [],
    services: servicesOf([dp("web-e", "east", "web"), dp("api-e", "east", "api"), dp("web-w", "west", "web"), dp("api-w", "west", "api"), dp("db-w", "west", "db")]),
    policies: [permit("api", "web"), permit("db", "api")],
    selected: new Map(),
  });
  // api in both zones, web in one.
  const crossing = buildTopology({
    mesh: "default",
    mtls: true,
    zones: [],
    services: servicesOf([dp("web-e", "east", "web"), dp("api-e", "east", "api"), dp("api-w", "west", "api")]),
    policies: [permit("api", "web")],
    selected: new Map(),
  });

  it("places every service inside its zone's box, below the zone's title", () => {
    for (const placed of [layout, layoutTopology(sharedRanks), layoutTopology(crossing)]) {
      for (const service of placed.services) {
        const box = placed.zones.find((z) => z.id === service.zoneId)!;
        assert.ok(service.x >= 0 && service.y >= ZONE_HEADER, service.id);
        assert.ok(service.x + SERVICE_SIZE.width <= box.width && service.y + SERVICE_SIZE.height <= box.height, service.id);
      }
    }
  });

  it("does not overlap zone boxes, even when services of several zones share a rank, and keeps empty zones visible", () => {
    const boxes = [
      ...layout.zones,
      ...layoutTopology(sharedRanks).zones.map((box) => ({ ...box, id: `shared-${box.id}`, x: box.x + 100_000 })),
      ...layoutTopology(crossing).zones.map((box) => ({ ...box, id: `crossing-${box.id}`, x: box.x + 200_000 })),
    ];
    assert.ok(layout.zones.find((z) => z.id === "zone:north")!.width > 0);
    for (const a of boxes) {
      for (const b of boxes) {
        if (a.id >= b.id) continue;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        assert.ok(!overlap, `${a.id} overlaps ${b.id}`);
      }
    }
  });

  it("places callers left of the services they call within a zone, one column per rank", () => {
    const chain = buildTopology({ ...input, zones: [], services: servicesOf([dp("a-1", "east", "a"), dp("b-1", "east", "b"), dp("c-1", "east", "c")]), policies: [permit("a", "b"), permit("b", "c")] });
    // c calls b, b calls a.
    const x = (id: string) => layoutTopology(chain).services.find((s) => s.id === id)!.x;
    assert.ok(x("svc:east/c") < x("svc:east/b") && x("svc:east/b") < x("svc:east/a"));
  });

  it("gives the same positions for the same graph (a refresh moves nothing)", () => {
    assert.deepEqual(layoutTopology(topology), layout);
  });

  it("lays out 6,000 service nodes in three zones in linear time", () => {
    const many = buildTopology({
      mesh: "default",
      mtls: false,
      zones: [],
      services: servicesOf(Array.from({ length: 6000 }, (_, i) => dp(`dp-${i}`, `zone-${i % 3}`, `svc-${Math.floor(i / 3)}`))),
      policies: [],
      selected: new Map(),
    });
    const start = performance.now();
    const placed = layoutTopology(many);
    // Generous for a loaded 2-core machine: dagre took seconds here.
    assert.ok(performance.now() - start < 500, `${performance.now() - start} ms`);
    assert.equal(placed.services.length, 6000);
    assert.equal(new Set(placed.services.map((s) => `${s.zoneId}:${s.x},${s.y}`)).size, 6000);
  });
});

describe("topologyView collapsed and capped", () => {
  it("sums each zone into one node and merges edges per zone pair, dropping edges inside a zone", () => {
    const collapsed = topologyView(graph, { collapse: true, limit: 100 });
    assert.deepEqual(
      collapsed.services.map((node) => [node.id, node.serviceCount, node.healthy, node.total]),
      [["svc:east/*", 3, 3, 3], ["svc:west/*", 2, 2, 2]],
    );
    assert.deepEqual(
      collapsed.edges.map((edge) => [edge.source, edge.target, edge.crossZone, edge.policies.map((policy) => policy.name)]),
      [["svc:east/*", "svc:west/*", true, ["api-to-db"]]],
    );
    assert.equal(layoutTopology(collapsed).services.length, 2);
  });

  it("collapses by itself above the limit unless a filter narrows it, then cuts to the limit, a search's matches first", () => {
    assert.deepEqual([topologyView(graph, { limit: 4 }).collapsed, topologyView(graph, { limit: 5 }).collapsed], [true, false]);
    const searched = topologyView(graph, { search: "db", limit: 1 });
    assert.deepEqual([ids(searched), searched.matchingServiceNodes, searched.hiddenServiceNodes, searched.collapsed], [["svc:west/db"], 2, 1, false]);
    const east = topologyView(graph, { zone: "east", limit: 2 });
    assert.deepEqual([ids(east), east.hiddenServiceNodes, east.edges.map((edge) => edge.id)], [["svc:east/api", "svc:east/batch"], 1, []]);
  });

  it("names at most 10 policies on a collapsed edge and counts them all", () => {
    const many = buildServiceGraph({ ...input, policies: Array.from({ length: 12 }, (_, i) => ({ ...permit("db", "api"), name: `p-${i}` })) });
    const [edge] = topologyView(many, { collapse: true, limit: 100 }).edges;
    assert.deepEqual([edge?.policies.length, edge?.policyCount], [10, 12]);
  });
});
