import { test } from "node:test";
import assert from "node:assert/strict";
import { resourceTypes } from "@zonemesh/resources";
import { UsageError } from "./command";
import { resolveType, resourcePath } from "./resource-type";

test("resolveType accepts every type's name and plural in any case, with or without dashes", () => {
  for (const type of resourceTypes) {
    for (const spelling of [type.name, type.plural, type.name.toLowerCase(), type.plural.toUpperCase(), type.plural.replace(/-/g, "")]) {
      assert.equal(resolveType(spelling).name, type.name, spelling);
    }
  }
  assert.equal(resolveType("zone-ingresses").name, "ZoneIngress");
  assert.throws(() => resolveType("meshtrafficpermits"), (e: unknown) => e instanceof UsageError && /unknown resource type/.test(e.message));
});

test("resourcePath follows Kuma's paths for mesh-scoped and global types", () => {
  assert.equal(resourcePath(resolveType("dataplane"), "default", "web 1"), "/meshes/default/dataplanes/web%201");
  assert.equal(resourcePath(resolveType("zones"), "default"), "/zones");
  assert.equal(resourcePath(resolveType("mesh"), "", "default"), "/meshes/default");
});
