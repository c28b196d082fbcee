import { test } from "node:test";
import assert from "node:assert/strict";
import { zoneScopedName } from "./zone-scoped-name";

test("zone-scoped names match Kuma's for the same mesh, name and zone", () => {
  // From kumahq/kuma pkg/kds/context/testdata/full_sync/policy-simple/global.golden.yaml.
  assert.equal(zoneScopedName("default", "default-timeout-zone-1", "zone-1"), "default-timeout-zone-1-c58w24w4vw27f454");
});

test("the same name from two zones gets two names on the global", () => {
  assert.notEqual(zoneScopedName("default", "web-1", "east"), zoneScopedName("default", "web-1", "west"));
  assert.notEqual(zoneScopedName("a", "web-1", "east"), zoneScopedName("b", "web-1", "east"));
});

test("a long name is shortened so the scoped name stays within 253 characters", () => {
  assert.equal(zoneScopedName("default", "x".repeat(253), "east").length, 253);
});
