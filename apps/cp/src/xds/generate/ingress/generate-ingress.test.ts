import { test } from "node:test";
import assert from "node:assert/strict";
import { generateIngressResources } from "./generate-ingress";
import { loadIngressCase } from "./test-cases";

const reversed = <T>(items: T[]) => [...items].reverse();

test("zone ingress generation does not depend on the order of meshes, dataplanes and policies", () => {
  const input = loadIngressCase("ingress-two-meshes.ingress.yaml");
  assert.deepEqual(generateIngressResources({ ...input, meshes: reversed(input.meshes), dataplanes: reversed(input.dataplanes), policies: reversed(input.policies ?? []) }), generateIngressResources(input));
});

test("an ingress with nothing to route gets no listener (Envoy refuses one without filter chains) but still lists its services", () => {
  const input = loadIngressCase("ingress-two-meshes.ingress.yaml");
  const generated = generateIngressResources({ ...input, meshes: input.meshes.map(({ name, body: { mtls: _, ...body } }) => ({ name, body })) });
  assert.deepEqual([generated.listeners, generated.clusters, generated.endpoints], [[], [], []]);
  assert.equal(generated.availableServices.length, 7);
});

test("dataplanes of a mesh that is not listed are left out, even from availableServices", () => {
  const input = loadIngressCase("ingress-two-meshes.ingress.yaml");
  const generated = generateIngressResources({ ...input, meshes: input.meshes.filter((mesh) => mesh.name !== "billing") });
  assert.ok(generated.clusters.every((cluster) => !cluster.name.startsWith("billing:")));
  assert.ok(generated.availableServices.every((available) => available.mesh !== "billing"));
});
