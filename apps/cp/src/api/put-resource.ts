import { type DataplaneBody, type MeshBody, type Resource, parseResource } from "@zonemesh/resources";
import type { ResourceKey, ResourceStore, StoredResource } from "@zonemesh/store";
import { assertMeshMember } from "./dataplane-membership";
import { createMesh } from "./mesh-defaults";
import { requireMesh } from "./mesh-exists";
import { assertUsableMtlsBackends } from "./mtls-backends";
import { type InvalidParameter, badRequest } from "./problem";
import type { ResourceType } from "./resource-types";
import type { SyncRules } from "./sync-rules";

export interface PutRequest {
  store: ResourceStore;
  sync: SyncRules;
  type: ResourceType;
  /** From the URL. */
  key: ResourceKey;
  body: unknown;
  /** From If-Match; undefined means last write wins. */
  version: number | undefined;
}

/**
 * Kuma's PUT: creates or replaces the resource at the URL after validating the body against the registry, and what
 * Kuma checks beyond it (a Mesh's mTLS backends, a Dataplane's membership). A new Mesh comes with its initial policies.
 */
export async function putResource({ store, sync, type, key, body, version }: PutRequest): Promise<{ created: boolean; stored: StoredResource }> {
  const existing = await store.get(key);
  sync.assertWritable(type, existing);
  const parsed = parseRequestBody(type, key, body);
  if (type.name === "Mesh") await assertUsableMtlsBackends(store, key.name, parsed.body as MeshBody);
  if (type.scope === "Mesh") {
    const mesh = await requireMesh(store, key.mesh, "mesh", 400);
    if (type.name === "Dataplane") assertMeshMember(parsed as Resource<DataplaneBody>, mesh.spec as MeshBody);
  }
  const resource = { ...key, labels: sync.labelsOf(type, parsed.labels), spec: parsed.body };
  if (version !== undefined) return { created: false, stored: await store.update({ ...resource, version }) };
  if (type.name === "Mesh" && existing === null) return { created: true, stored: await createMesh(store, { ...resource, spec: parsed.body as MeshBody }) };
  return { created: existing === null, stored: await store.upsert(resource) };
}

/** Validates a PUT (or dry-run) body for the resource at `key`; throws a 400 listing every problem. */
export function parseRequestBody(type: ResourceType, key: ResourceKey, body: unknown): Resource {
  const parsed = parseResource(withUrlFields(type, key, body));
  if (!parsed.ok) throw badRequest(`${type.name} is not valid`, parsed.errors);
  return parsed.resource;
}

/** The body with `type`/`name`/`mesh` taken from the URL; refuses a body that names a different resource than its URL. */
function withUrlFields(type: ResourceType, key: ResourceKey, body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("the request body must be one resource as a JSON or YAML object", [{ field: "body", reason: "must be an object" }]);
  }
  const document = body as Record<string, unknown>;
  const expected: Record<string, string> = { type: type.name, name: key.name, ...(type.scope === "Mesh" ? { mesh: key.mesh } : {}) };
  const mismatches: InvalidParameter[] = Object.entries(expected)
    .filter(([field, value]) => field in document && document[field] !== value)
    .map(([field, value]) => ({ field, reason: `must match the URL: expected ${JSON.stringify(value)}, got ${JSON.stringify(document[field])}` }));
  if (type.scope === "Global" && document.mesh !== undefined && document.mesh !== "") {
    mismatches.push({ field: "mesh", reason: `${type.name} is not mesh-scoped: remove "mesh"` });
  }
  if (mismatches.length) throw badRequest("the body does not describe the resource named by the URL", mismatches);
  return { ...document, ...expected };
}
