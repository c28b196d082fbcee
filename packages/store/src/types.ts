// The contract between the store and its users (REST API, xDS/KDS reconciliation, benches).
// Both backends (SQLite, PostgreSQL) implement ResourceStore and pass the same test suite.

/** Identifies one resource. Global-scoped types (Mesh, Zone, ZoneInsight, GlobalSecret...) use mesh "". */
export interface ResourceKey {
  type: string;
  mesh: string;
  name: string;
}

export interface StoredResource extends ResourceKey {
  /** Optimistic-concurrency version: 1 on create, +1 on each update. */
  version: number;
  labels: Record<string, string>;
  /** The resource JSON minus its meta fields (type, mesh, name, labels, creationTime, modificationTime): `{spec: {...}}` for targetRef policies, `{networking: ...}` for a Dataplane, `{mtls: ...}` for a Mesh. */
  spec: unknown;
  creationTime: Date;
  modificationTime: Date;
}

export interface NewResource extends ResourceKey {
  labels?: Record<string, string>;
  spec: unknown;
}

export interface ResourceUpdate extends NewResource {
  /** The version the caller read; a different stored version is a conflict. */
  version: number;
}

export interface ListQuery {
  type: string;
  /** Omit to list across all meshes. */
  mesh?: string;
  /** Every pair must match exactly. */
  labels?: Record<string, string>;
  /** Substring of the name. */
  nameContains?: string;
  offset?: number;
  /** Page size; omit for all. */
  size?: number;
}

export interface ListResult {
  total: number;
  items: StoredResource[];
}

export type ChangeOp = "create" | "update" | "delete";

export interface ChangeEvent extends ResourceKey {
  op: ChangeOp;
  version: number;
}

export type ChangeListener = (event: ChangeEvent) => void;

export interface ResourceStore {
  readonly backend: "sqlite" | "postgres";
  get(key: ResourceKey): Promise<StoredResource | null>;
  list(query: ListQuery): Promise<ListResult>;
  /** Throws AlreadyExistsError when the key exists. */
  create(resource: NewResource): Promise<StoredResource>;
  /** Throws NotFoundError or ConflictError (stale version). */
  update(resource: ResourceUpdate): Promise<StoredResource>;
  /** Create or replace regardless of version (used by KDS sync and seeding). */
  upsert(resource: NewResource): Promise<StoredResource>;
  /**
   * `upsert` of many resources in one transaction: all are written or none (the error is thrown). Results and
   * change events (after commit) are in the given order. Throws when a key appears more than once.
   */
  upsertMany(resources: NewResource[]): Promise<StoredResource[]>;
  /** Throws NotFoundError; with `version`, ConflictError when stale. */
  delete(key: ResourceKey, opts?: { version?: number }): Promise<void>;
  /**
   * Deletes a Mesh and every resource inside it in one transaction (cascade, as Kuma does);
   * one change event per deleted resource, the Mesh's last. Throws NotFoundError when the Mesh does not exist.
   */
  deleteMesh(name: string): Promise<void>;
  /** Called for every change, including those made by other CP instances sharing a PostgreSQL database. */
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}
