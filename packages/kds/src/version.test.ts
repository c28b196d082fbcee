import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalJson, resourceVersion } from "./version";

test("the version ignores key order but not content, labels or array order", () => {
  const base = { mesh: "m", name: "n", labels: { a: "1", b: "2" }, body: { x: { p: 1, q: [1, 2] }, y: "s" } };
  const reordered = { mesh: "m", name: "n", labels: { b: "2", a: "1" }, body: { y: "s", x: { q: [1, 2], p: 1 } } };
  assert.equal(resourceVersion(base), resourceVersion(reordered));
  assert.notEqual(resourceVersion(base), resourceVersion({ ...base, body: { ...base.body, y: "t" } }));
  assert.notEqual(resourceVersion(base), resourceVersion({ ...base, labels: { a: "1" } }));
  assert.notEqual(resourceVersion(base), resourceVersion({ ...base, body: { ...base.body, x: { p: 1, q: [2, 1] } } }));
  assert.match(resourceVersion(base), /^[0-9a-f]{16}$/);
});

test("canonical JSON sorts nested object keys", () => {
  assert.equal(canonicalJson({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: null }), '{"a":null,"b":{"c":[{"e":2,"f":1}],"d":1}}');
});
