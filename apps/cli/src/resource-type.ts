import { type ResourceTypeDescriptor, resourceTypes } from "@zonemesh/resources";
import { UsageError } from "./command";

const normalize = (text: string) => text.toLowerCase().replace(/[-_]/g, "");

/** A type named as users type it: singular or plural, any case, with or without dashes (`MeshTrafficPermission`, `meshtrafficpermissions`, `zone-ingresses`). */
export function resolveType(input: string): ResourceTypeDescriptor {
  const wanted = normalize(input);
  const type = resourceTypes.find((t) => normalize(t.name) === wanted || normalize(t.plural) === wanted);
  if (!type) throw new UsageError(`unknown resource type "${input}"; known: ${resourceTypes.map((t) => t.plural).join(", ")}`);
  return type;
}

/** The REST path of a type's list (no name) or of one resource. */
export function resourcePath(type: ResourceTypeDescriptor, mesh: string, name?: string): string {
  const base = type.scope === "Mesh" ? `/meshes/${encodeURIComponent(mesh)}/${type.plural}` : `/${type.plural}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}
