import { test } from "node:test";
import assert from "node:assert/strict";
import { parseResource, validateBody } from "./parse-resource";

test("a valid policy parses into meta and body, ignoring creation/modification times", () => {
  const result = parseResource({
    type: "MeshTrafficPermission",
    mesh: "default",
    name: "allow-all",
    labels: { team: "core" },
    creationTime: "2024-01-01T00:00:00Z",
    modificationTime: "2024-01-02T00:00:00Z",
    spec: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] },
  });
  assert.deepEqual(result, {
    ok: true,
    resource: {
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "allow-all",
      labels: { team: "core" },
      body: { spec: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] } },
    },
  });
});

test("Global-scoped resources are stored with mesh \"\"", () => {
  const result = parseResource({ type: "Zone", name: "zone-1", enabled: true });
  assert.ok(result.ok);
  assert.equal(result.resource.mesh, "");
});

test("validateBody checks a body without meta and names the unknown type", () => {
  assert.deepEqual(validateBody("Zone", { enabled: true }), { ok: true, body: { enabled: true } });
  const unknown = validateBody("Gateway", {});
  assert.equal(unknown.ok, false);
  assert.equal(!unknown.ok && unknown.errors[0]?.field, "type");
});
