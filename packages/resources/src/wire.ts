import { typeByName } from "./registry";

/** A resource as the store keeps it: the body lives in `spec`. */
export interface StoredResource {
  type: string;
  mesh: string;
  name: string;
  labels: Record<string, string>;
  spec: object;
  creationTime: Date | string;
  modificationTime: Date | string;
}

/** Kuma's JSON for a resource: `{type, mesh?, name, creationTime, modificationTime, labels, ...body}`; Global-scoped types carry no `mesh`. */
export function toWire(stored: StoredResource): Record<string, unknown> {
  const global = typeByName(stored.type)?.scope === "Global";
  return {
    type: stored.type,
    ...(global ? {} : { mesh: stored.mesh }),
    name: stored.name,
    creationTime: new Date(stored.creationTime).toISOString(),
    modificationTime: new Date(stored.modificationTime).toISOString(),
    labels: stored.labels,
    ...stored.spec,
  };
}
