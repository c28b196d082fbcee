// The policy editor's model: the YAML text is the single source of truth; the form reads and writes fields of it,
// and both are validated by the shared `parseResource`, so the form and the YAML can never disagree.
import { isMap, parseDocument, stringify } from "yaml";
import { parseDocuments, parseResource, type FieldError, type Resource } from "@zonemesh/resources";

export type PolicyCheck = { ok: true; resource: Resource; errors: [] } | { ok: false; resource: null; errors: FieldError[] };

/** Validates the editor's text as exactly one policy resource. */
export function checkPolicyText(text: string): PolicyCheck {
  const documents = parseDocuments(text);
  if (!documents.ok) return { ok: false, resource: null, errors: documents.errors };
  if (documents.documents.length !== 1) {
    return { ok: false, resource: null, errors: [{ field: "", reason: `the editor holds one policy, found ${documents.documents.length} documents` }] };
  }
  const parsed = parseResource(documents.documents[0]);
  return parsed.ok ? { ok: true, resource: parsed.resource, errors: [] } : { ok: false, resource: null, errors: parsed.errors };
}

export type FieldPath = (string | number)[];

/** Reads one field of the YAML (undefined when absent or when the text does not parse). */
export function readField(text: string, path: FieldPath): unknown {
  const document = parseDocument(text);
  if (document.errors.length > 0) return undefined;
  const value = document.getIn(path);
  return isMap(value) ? value.toJSON() : value;
}

/** Sets (or with undefined, removes) one field, keeping the rest of the text, comments included. */
export function writeField(text: string, path: FieldPath, value: unknown): string {
  const document = parseDocument(text);
  if (document.errors.length > 0) return text;
  if (value === undefined || value === "") document.deleteIn(path);
  else document.setIn(path, value);
  return document.toString();
}

const templates: Record<string, object> = {
  MeshTrafficPermission: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] },
  MeshHTTPRoute: {
    targetRef: { kind: "Mesh" },
    to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], default: { backendRefs: [{ kind: "MeshService", name: "backend" }] } }] }],
  },
  MeshTCPRoute: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ default: { backendRefs: [{ kind: "MeshService", name: "backend" }] } }] }] },
  MeshTLS: { targetRef: { kind: "Mesh" }, rules: [{ default: { tlsVersion: { min: "TLS12" } } }] },
  MeshMetric: { targetRef: { kind: "Mesh" }, default: { backends: [{ type: "Prometheus", prometheus: { port: 5670, path: "/metrics" } }] } },
};

/** A starting point for a new policy of `type`. */
export function policyTemplate(type: string, mesh: string): string {
  const spec = templates[type] ?? { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: {} }] };
  return stringify({ type, name: "", mesh, spec });
}

/** Kuma's JSON of a stored policy as the YAML the editor starts from (without the server-set timestamps). */
export function storedPolicyYaml(stored: { type: string; mesh: string; name: string; labels: Record<string, string>; body: object }): string {
  const labels = Object.keys(stored.labels).length > 0 ? { labels: stored.labels } : {};
  return stringify({ type: stored.type, name: stored.name, mesh: stored.mesh, ...labels, ...stored.body });
}

/** Kuma's JSON of a parsed resource (what the BFF's policy procedures take). */
export const wireOf = (resource: Resource) => ({
  type: resource.type,
  mesh: resource.mesh,
  name: resource.name,
  labels: resource.labels,
  ...resource.body,
});

/** The errors at one field (for showing them next to a form input). */
export const errorsAt = (errors: FieldError[], field: string) => errors.filter((error) => error.field === field).map((error) => error.reason);
