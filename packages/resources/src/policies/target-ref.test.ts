import { test } from "node:test";
import assert from "node:assert/strict";
import { describeTargetRef } from "./target-ref";

test("describeTargetRef names the kind and what it selects: name, tags or labels, section", () => {
  assert.equal(describeTargetRef({ kind: "Mesh" }), "Mesh");
  assert.equal(describeTargetRef({ kind: "MeshService", name: "web" }), "MeshService/web");
  assert.equal(describeTargetRef({ kind: "MeshSubset", tags: { team: "a", version: "v2" } }), "MeshSubset{team=a,version=v2}");
  assert.equal(describeTargetRef({ kind: "Dataplane", labels: { app: "web" }, sectionName: "http-port" }), "Dataplane{app=web}:http-port");
  assert.equal(describeTargetRef({ kind: "Dataplane", name: "web-1" }), "Dataplane/web-1");
});
