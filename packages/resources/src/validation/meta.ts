import type { ResourceScope } from "../registry";
import type { FieldError } from "./field-error";

// Kuma's rules: names are lowercase RFC 1123 subdomains; the `mesh` reference keeps the older, laxer
// alphabet because a Mesh created before the stricter rule may still contain '_'.
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MESH_REFERENCE = /^[0-9a-z-_.]*$/;
export const MAX_NAME_LENGTH = 253;

function identifierError(value: unknown, pattern: RegExp, alphabet: string): string | undefined {
  if (value === undefined) return "required field is missing";
  if (typeof value !== "string") return `must be a string, got ${typeof value}`;
  if (value === "") return "cannot be empty";
  if (value.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  if (!pattern.test(value)) return `invalid characters: ${alphabet}`;
  return undefined;
}

export function nameError(name: unknown): string | undefined {
  return identifierError(
    name,
    NAME,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  );
}

/** Validates `name` and `mesh` of a resource whose scope is known; Global-scoped resources carry no mesh. */
export function metaErrors(meta: { name: unknown; mesh: unknown }, scope: ResourceScope, typeName: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = nameError(meta.name);
  if (name) errors.push({ field: "name", reason: name });
  if (scope === "Mesh") {
    const mesh = identifierError(meta.mesh, MESH_REFERENCE, "valid characters are numbers, lowercase latin letters and '-', '_', '.'");
    if (mesh) errors.push({ field: "mesh", reason: mesh });
  } else if (meta.mesh !== undefined && meta.mesh !== "") {
    errors.push({ field: "mesh", reason: `must not be set: ${typeName} is a Global-scoped type` });
  }
  return errors;
}
