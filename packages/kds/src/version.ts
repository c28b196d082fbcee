import { createHash } from "node:crypto";
import type { KdsResource } from "./resource";

/** JSON with object keys sorted, so that equal content always has the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface SerializedResource {
  version: string;
  bodyJson: string;
}

export function serializeResource(resource: KdsResource): SerializedResource {
  const bodyJson = canonicalJson(resource.body ?? null);
  const version = createHash("sha256")
    .update(canonicalJson(resource.labels))
    .update("\n")
    .update(bodyJson)
    .digest("hex")
    .slice(0, 16);
  return { version, bodyJson };
}

/** The version both sides compute for a resource: a hash of its labels and body, so identical content is never re-sent. */
export function resourceVersion(resource: KdsResource): string {
  return serializeResource(resource).version;
}
