import type { ChangeEvent, ChangeOp, NewResource, ResourceKey, StoredResource } from "./types";

export interface ResourceRow extends ResourceKey {
  version: number;
  labels: unknown;
  spec: string;
  creationTime: Date;
  modificationTime: Date;
}

export const keyOf = ({ type, mesh, name }: ResourceKey): ResourceKey => ({ type, mesh, name });

export const byKey = (key: ResourceKey) => ({ type_mesh_name: keyOf(key) });

/** The columns a write sets from the caller's resource. */
export const contentOf = (resource: NewResource) => ({ labels: resource.labels ?? {}, spec: JSON.stringify(resource.spec ?? {}) });

export const toStoredResource = (row: ResourceRow): StoredResource => ({
  ...keyOf(row),
  version: row.version,
  // Only this store writes the column, always from a Record<string, string>.
  labels: row.labels as Record<string, string>,
  spec: JSON.parse(row.spec),
  creationTime: row.creationTime,
  modificationTime: row.modificationTime,
});

export const changeOf = (op: ChangeOp, resource: ResourceKey & { version: number }): ChangeEvent => ({
  op,
  ...keyOf(resource),
  version: resource.version,
});
