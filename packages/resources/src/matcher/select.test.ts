import { test } from "node:test";
import assert from "node:assert/strict";
import { dataplane, policy, valid } from "../../test/resources";
import type { Resource } from "../resource";
import type { DataplaneBody } from "../types/dataplane";
import { dataplanesForPolicy, inboundsSelectedBy, policiesForDataplane, selectsDataplane } from "./select";
import { dataplaneTags } from "./tags";

const webV1 = dataplane("web-1", [{ port: 8080, tags: { "kuma.io/service": "web", version: "v1", team: "a" } }]);
const webV2 = dataplane("web-2", [{ port: 8080, tags: { "kuma.io/service": "web", version: "v2", team: "a" } }]);
const backend = dataplane("backend-1", [
  { port: 9090, tags: { "kuma.io/service": "backend", team: "b" } },
  { port: 9091, tags: { "kuma.io/service": "backend-admin", team: "b" }, state: "Ignored" },
]);
const gateway = dataplane("edge", undefined, { gateway: { tags: { "kuma.io/service": "edge" }, type: "DELEGATED" } });
const all = [webV1, webV2, backend, gateway];

test("dataplaneTags lists non-ignored inbound tag sets and the gateway's tags", () => {
  assert.deepEqual(dataplaneTags(backend), [{ port: 9090, tags: { "kuma.io/service": "backend", team: "b" } }]);
  assert.deepEqual(dataplaneTags(gateway), [{ port: 0, tags: { "kuma.io/service": "edge" } }]);
});

test("each top-level targetRef kind selects the dataplanes Kuma selects", () => {
  const names = (ref: object) => all.filter((dp) => selectsDataplane(ref as never, dp, "default")).map((dp) => dp.name);
  assert.deepEqual(names({ kind: "Mesh" }), ["web-1", "web-2", "backend-1", "edge"]);
  assert.deepEqual(names({ kind: "MeshSubset", tags: { team: "a" } }), ["web-1", "web-2"]);
  assert.deepEqual(names({ kind: "MeshSubset", tags: { version: "*" } }), ["web-1", "web-2"]);
  assert.deepEqual(names({ kind: "MeshService", name: "web" }), ["web-1", "web-2"]);
  assert.deepEqual(names({ kind: "MeshService", name: "backend-admin" }), [], "ignored inbounds are never selected");
  assert.deepEqual(names({ kind: "MeshServiceSubset", name: "web", tags: { version: "v2" } }), ["web-2"]);
  assert.deepEqual(names({ kind: "Mesh", proxyTypes: ["Gateway"] }), ["edge"]);
  assert.deepEqual(names({ kind: "Mesh", proxyTypes: ["Sidecar"] }), ["web-1", "web-2", "backend-1"]);
  assert.deepEqual(names(undefined as never), ["web-1", "web-2", "backend-1", "edge"], "no targetRef means Mesh");
});

test("a policy only selects dataplanes of its own mesh", () => {
  const other = valid({ type: "Dataplane", mesh: "other", name: "web-1", networking: { address: "10.0.0.9", inbound: [{ port: 80, tags: { "kuma.io/service": "web" } }] } }) as Resource<DataplaneBody>;
  const allow = policy("MeshTrafficPermission", "allow", { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] });
  assert.deepEqual(dataplanesForPolicy(allow, [...all, other]).map((dp) => `${dp.mesh}/${dp.name}`), [
    "default/web-1",
    "default/web-2",
    "default/backend-1",
    "default/edge",
  ]);
});

test("policiesForDataplane returns the selecting policies from least to most specific, then by name descending (the first name wins)", () => {
  const from = [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }];
  const policies = [
    policy("MeshTrafficPermission", "web-v2-only", { targetRef: { kind: "MeshServiceSubset", name: "web", tags: { version: "v2" } }, from }),
    policy("MeshTrafficPermission", "web", { targetRef: { kind: "MeshService", name: "web" }, from }),
    policy("MeshTrafficPermission", "team-a", { targetRef: { kind: "MeshSubset", tags: { team: "a" } }, from }),
    policy("MeshTrafficPermission", "b-mesh", { targetRef: { kind: "Mesh" }, from }),
    policy("MeshTrafficPermission", "a-mesh", { targetRef: { kind: "Mesh" }, from }),
    policy("MeshTrafficPermission", "backend", { targetRef: { kind: "MeshService", name: "backend" }, from }),
  ];
  assert.deepEqual(policiesForDataplane(webV2, policies).map((p) => p.name), ["b-mesh", "a-mesh", "team-a", "web", "web-v2-only"]);
  assert.deepEqual(policiesForDataplane(webV1, policies).map((p) => p.name), ["b-mesh", "a-mesh", "team-a", "web"]);
  assert.deepEqual(policiesForDataplane(backend, policies).map((p) => p.name), ["b-mesh", "a-mesh", "backend"]);
});

const orders = dataplane(
  "orders-1",
  [
    { port: 8080, name: "http-port", tags: { "kuma.io/service": "orders" } },
    { port: 9000, tags: { "kuma.io/service": "orders-admin" } },
  ],
  {},
  { app: "orders", tier: "api" },
);
// As the global stores a zone's dataplane: a zone-scoped name, the zone's name in a label.
const ordersOnGlobal = { ...orders, name: "orders-2-x7f9", labels: { app: "orders", "kuma.io/display-name": "orders-2", "kuma.io/zone": "east" } };

test("kind Dataplane selects every dataplane, one by its name in its zone, or those carrying all the labels", () => {
  const names = (ref: object) => [...all, orders, ordersOnGlobal].filter((dp) => selectsDataplane(ref as never, dp, "default")).map((dp) => dp.name);
  assert.deepEqual(names({ kind: "Dataplane" }), ["web-1", "web-2", "backend-1", "edge", "orders-1", "orders-2-x7f9"]);
  assert.deepEqual(names({ kind: "Dataplane", name: "web-2" }), ["web-2"]);
  assert.deepEqual(names({ kind: "Dataplane", name: "orders-2" }), ["orders-2-x7f9"], "a synced copy answers to its zone's name");
  assert.deepEqual(names({ kind: "Dataplane", labels: { app: "orders" } }), ["orders-1", "orders-2-x7f9"]);
  assert.deepEqual(names({ kind: "Dataplane", labels: { app: "orders", tier: "api" } }), ["orders-1"]);
  assert.deepEqual(names({ kind: "Dataplane", labels: { "kuma.io/zone": "east" } }), ["orders-2-x7f9"]);
  assert.deepEqual(names({ kind: "Dataplane", labels: { "kuma.io/service": "web" } }), [], "labels are the resource's, not inbound tags");
  assert.deepEqual(names({ kind: "Dataplane", name: "web-1", namespace: "shop" }), [], "no such namespace label");
});

test("a Dataplane sectionName selects one inbound, by its name or else its port", () => {
  const ports = (ref: object) => inboundsSelectedBy(ref as never, orders).map((inbound) => inbound.port);
  assert.deepEqual(ports({ kind: "Dataplane", labels: { app: "orders" } }), [8080, 9000]);
  assert.deepEqual(ports({ kind: "Dataplane", labels: { app: "orders" }, sectionName: "http-port" }), [8080]);
  assert.deepEqual(ports({ kind: "Dataplane", name: "orders-1", sectionName: "9000" }), [9000]);
  assert.deepEqual(ports({ kind: "Dataplane", name: "orders-1", sectionName: "8080" }), [], "a named inbound answers to its name only");
  assert.deepEqual(ports({ kind: "Dataplane", labels: { app: "web" }, sectionName: "http-port" }), []);
});

test("a Dataplane targetRef ranks above Mesh and below MeshSubset, with a sectionName above one without", () => {
  const rules = [{ default: { http: { requestTimeout: "1s" } } }];
  const policies = [
    policy("MeshTimeout", "a-subset", { targetRef: { kind: "MeshSubset", tags: { "kuma.io/service": "orders" } }, rules }),
    policy("MeshTimeout", "b-section", { targetRef: { kind: "Dataplane", labels: { app: "orders" }, sectionName: "http-port" }, rules }),
    policy("MeshTimeout", "c-labels", { targetRef: { kind: "Dataplane", labels: { app: "orders" } }, rules }),
    policy("MeshTimeout", "d-mesh", { targetRef: { kind: "Mesh" }, rules }),
  ];
  assert.deepEqual(policiesForDataplane(orders, policies).map((p) => p.name), ["d-mesh", "c-labels", "b-section", "a-subset"]);
});
