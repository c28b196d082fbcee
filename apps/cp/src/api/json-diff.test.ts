import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonDiff } from "./json-diff";

test("jsonDiff names each added, removed and replaced field by its path", () => {
  const before = { spec: { targetRef: { kind: "Mesh" }, from: [{ default: { action: "Allow" } }, { default: { action: "Deny" } }] } };
  const after = { spec: { targetRef: { kind: "MeshService", name: "web" }, from: [{ default: { action: "Deny" } }] } };
  assert.deepEqual(jsonDiff(before, after), [
    { path: "spec.targetRef.kind", op: "replace", from: "Mesh", to: "MeshService" },
    { path: "spec.targetRef.name", op: "add", to: "web" },
    { path: "spec.from[0].default.action", op: "replace", from: "Allow", to: "Deny" },
    { path: "spec.from[1]", op: "remove", from: { default: { action: "Deny" } } },
  ]);
});

test("jsonDiff of equal values is empty", () => {
  assert.deepEqual(jsonDiff({ a: [1, { b: null }] }, { a: [1, { b: null }] }), []);
});
