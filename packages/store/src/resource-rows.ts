import type { ChangeEvent, ChangeOp, ResourceKey, StoredResource } from "./types";

export interface ResourceRow extends ResourceKey {
  version: number;
  spec: string;
  creationTime: Date;
  modificationTime: Date;
  labels: { key: string; value: string }[];
}

export const withLabels = { labels: { select: { key: true, value: true } } } as const;

export const keyOf = ({ type, mesh, name }: ResourceKey): ResourceKey => ({ type, mesh, name });

export const labelRows = (labels: Record<string, string> = {}) => Object.entries(labels).map(([key, value]) => ({ key, value }));

export const specText = (spec: unknown) => JSON.stringify(spec ?? {});

export const toStoredResource = (row: ResourceRow): StoredResource => ({
  ...keyOf(row),
  version: row.version,
  labels: Object.fromEntries(row.labels.map((label) => [label.key, label.value])),
  spec: JSON.parse(row.spec),
  creationTime: row.creationTime,
  modificationTime: row.modificationTime,
});

export const changeOf = (op: ChangeOp, resource: ResourceKey & { version: number }): ChangeEvent => ({
  op,
  ...keyOf(resource),
  version: resource.version,
});
