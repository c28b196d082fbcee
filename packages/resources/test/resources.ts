import assert from "node:assert/strict";
import { parseResource } from "../src/validation/parse-resource";
import type { Resource } from "../src/resource";
import type { DataplaneBody } from "../src/types/dataplane";
import type { PolicyResource } from "../src/matcher/policy";

/** Parses a resource that the test expects to be valid, failing with the field errors otherwise. */
export function valid(input: Record<string, unknown>): Resource {
  const result = parseResource(input);
  assert.ok(result.ok, `expected ${String(input.type)} ${String(input.name)} to be valid: ${JSON.stringify(!result.ok && result.errors)}`);
  return result.resource;
}

export function dataplane(
  name: string,
  inbound: DataplaneBody["networking"]["inbound"],
  extra: Partial<DataplaneBody["networking"]> = {},
  labels: Record<string, string> = {},
) {
  return valid({ type: "Dataplane", mesh: "default", name, labels, networking: { address: "10.0.0.1", inbound, ...extra } }) as Resource<DataplaneBody>;
}

export function policy(type: string, name: string, spec: object, mesh = "default"): PolicyResource {
  return valid({ type, mesh, name, spec }) as PolicyResource;
}
