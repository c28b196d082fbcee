import { test } from "node:test";
import assert from "node:assert/strict";
import { toWire } from "./wire";

const times = { creationTime: new Date("2024-05-01T10:00:00Z"), modificationTime: "2024-05-02T11:30:00+02:00" };

test("Mesh-scoped resources are written as Kuma's JSON with mesh, ISO times and the body inlined", () => {
  const wire = toWire({ type: "MeshTimeout", mesh: "default", name: "t", labels: { team: "a" }, spec: { spec: { to: [] } }, ...times });
  assert.deepEqual(wire, {
    type: "MeshTimeout",
    mesh: "default",
    name: "t",
    creationTime: "2024-05-01T10:00:00.000Z",
    modificationTime: "2024-05-02T09:30:00.000Z",
    labels: { team: "a" },
    spec: { to: [] },
  });
  assert.deepEqual(Object.keys(wire), ["type", "mesh", "name", "creationTime", "modificationTime", "labels", "spec"]);
});

test("Global-scoped resources carry no mesh key", () => {
  const wire = toWire({ type: "Zone", mesh: "", name: "zone-1", labels: {}, spec: { enabled: true }, ...times });
  assert.equal("mesh" in wire, false);
  assert.equal(wire.enabled, true);
});
