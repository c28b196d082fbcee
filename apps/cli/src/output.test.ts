import { test } from "node:test";
import assert from "node:assert/strict";
import { targetRef } from "./output";

test("the TARGETREF column describes the policy's targetRef, or shows - without one", () => {
  assert.equal(targetRef({ type: "MeshTimeout", name: "t" }), "-");
  assert.equal(targetRef({ type: "MeshTimeout", name: "t", spec: { targetRef: { kind: "Dataplane", labels: { app: "web" } } } }), "Dataplane{app=web}");
});
