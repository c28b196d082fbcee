import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { policyTypeNames, resourceTypes, typeByName, typeByPlural } from "./registry";

test("types are found by name and by REST plural", () => {
  assert.equal(typeByName("MeshTrafficPermission")?.plural, "meshtrafficpermissions");
  assert.equal(typeByPlural("meshloadbalancingstrategies")?.name, "MeshLoadBalancingStrategy");
  assert.equal(typeByPlural("meshretries")?.name, "MeshRetry");
  assert.equal(typeByName("meshtrafficpermission"), undefined);
  assert.equal(new Set(resourceTypes.map((type) => type.plural)).size, resourceTypes.length);
});

test("scopes follow Kuma: global types are stored without a mesh", () => {
  const global = resourceTypes.filter((type) => type.scope === "Global").map((type) => type.name).sort();
  assert.deepEqual(global, ["GlobalSecret", "Mesh", "Zone", "ZoneEgress", "ZoneIngress", "ZoneIngressInsight", "ZoneInsight"]);
});

test("the thirteen targetRef policies are the policy types", () => {
  assert.equal(policyTypeNames.length, 13);
  for (const name of policyTypeNames) assert.equal(typeByName(name)?.isPolicy, true);
});

test("every body schema converts to JSON Schema, which the CP's OpenAPI document is built from", () => {
  for (const type of resourceTypes) {
    const schema = z.toJSONSchema(type.schema, { io: "input", unrepresentable: "any" }) as { type?: string; additionalProperties?: unknown };
    assert.equal(schema.type, "object", type.name);
    assert.equal(schema.additionalProperties, false, `${type.name} bodies are strict`);
  }
});
