import { test } from "node:test";
import assert from "node:assert/strict";
import { dataplane, policy, valid } from "../../test/resources";
import type { Resource } from "../resource";
import type { DataplaneBody } from "../types/dataplane";
import { dataplanesForPolicy, policiesForDataplane, selectsDataplane } from "./select";
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

test("policiesForDataplane returns the selecting policies from least to most specific, then by name", () => {
  const from = [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }];
  const policies = [
    policy("MeshTrafficPermission", "web-v2-only", { targetRef: { kind: "MeshServiceSubset", name: "web", tags: { version: "v2" } }, from }),
    policy("MeshTrafficPermission", "web", { targetRef: { kind: "MeshService", name: "web" }, from }),
    policy("MeshTrafficPermission", "team-a", { targetRef: { kind: "MeshSubset", tags: { team: "a" } }, from }),
    policy("MeshTrafficPermission", "b-mesh", { targetRef: { kind: "Mesh" }, from }),
    policy("MeshTrafficPermission", "a-mesh", { targetRef: { kind: "Mesh" }, from }),
    policy("MeshTrafficPermission", "backend", { targetRef: { kind: "MeshService", name: "backend" }, from }),
  ];
  assert.deepEqual(policiesForDataplane(webV2, policies).map((p) => p.name), ["a-mesh", "b-mesh", "team-a", "web", "web-v2-only"]);
  assert.deepEqual(policiesForDataplane(webV1, policies).map((p) => p.name), ["a-mesh", "b-mesh", "team-a", "web"]);
  assert.deepEqual(policiesForDataplane(backend, policies).map((p) => p.name), ["a-mesh", "b-mesh", "backend"]);
});
