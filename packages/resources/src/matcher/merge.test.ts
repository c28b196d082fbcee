import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeConfs, mergePatch } from "./merge";

test("mergePatch follows RFC 7386 as in Kuma's docs: null deletes, objects merge, arrays are replaced", () => {
  const base = { conf: 1, sub: { array: [1, 2, 3], other: 50, "other-array": [3, 4, 5] } };
  const patch = { sub: { array: [], other: null, "other-array": [5, 6], extra: 2 } };
  assert.deepEqual(mergePatch(base, patch), { conf: 1, sub: { array: [], "other-array": [5, 6], extra: 2 } });
  assert.deepEqual(base.sub.array, [1, 2, 3], "inputs are not modified");
});

test("mergeConfs folds in order and returns undefined for nothing", () => {
  assert.equal(mergeConfs([]), undefined);
  assert.deepEqual(mergeConfs([{ a: 1, b: 1 }, { b: 2 }, { c: { d: 3 } }]), { a: 1, b: 2, c: { d: 3 } });
});

test("MeshTrafficPermission's caller lists add up across policies: every deny counts", () => {
  const first = { deny: [{ spiffeID: { type: "Exact", value: "spiffe://default/a" } }], allow: [{ spiffeID: { type: "Prefix", value: "spiffe://default/" } }] };
  const second = { deny: [{ spiffeID: { type: "Exact", value: "spiffe://default/b" } }] };
  assert.deepEqual(mergeConfs([first, second]), {
    deny: [{ spiffeID: { type: "Exact", value: "spiffe://default/a" } }, { spiffeID: { type: "Exact", value: "spiffe://default/b" } }],
    allow: [{ spiffeID: { type: "Prefix", value: "spiffe://default/" } }],
  });
});
