// Every write but deleteMesh and upsertMany is one SQL statement (INSERT, UPDATE ... WHERE version = ?, INSERT
// ... ON CONFLICT, DELETE ... RETURNING): atomic on both backends without an interactive transaction.
import type { ChangeFeed } from "./change-feed/change-feed";
import { AlreadyExistsError, ConflictError, NotFoundError } from "./errors";
import { listCondition, pageClause } from "./list-query";
import { SerialQueue } from "./serial-queue";
import { upsertChunkRows, upsertRows } from "./upsert-rows";
import type { OpenedStore } from "./open-store";
import type { PrismaClient } from "./prisma-client";
import { byKey, changeOf, contentOf, keyOf, toStoredResource, type ResourceRow } from "./resource-rows";
import type {
  ChangeListener,
  ChangeOp,
  ListQuery,
  ListResult,
  NewResource,
  ResourceKey,
  ResourceStore,
  ResourceUpdate,
  StoredResource,
} from "./types";

export interface PrismaStoreParts {
  backend: ResourceStore["backend"];
  writer: PrismaClient;
  /**
   * SQLite's writer is one connection that runs whatever comes while a transaction is open inside that
   * transaction: there, writes must run one at a time. PostgreSQL gives each its own pooled connection.
   */
  serializeWrites: boolean;
  /** SQLite gives reads their own connection, so that they never see a write transaction in progress. */
  reader: PrismaClient;
  feed: ChangeFeed;
  appliedMigrations: string[];
}

const prismaCode = (error: unknown) => (error as { code?: unknown } | null)?.code;
const uniqueViolation = "P2002";
const recordNotFound = "P2025";

export class PrismaResourceStore implements OpenedStore {
  readonly backend: ResourceStore["backend"];
  readonly appliedMigrations: string[];

  private readonly writes = new SerialQueue();

  constructor(private readonly parts: PrismaStoreParts) {
    this.backend = parts.backend;
    this.appliedMigrations = parts.appliedMigrations;
  }

  async get(key: ResourceKey): Promise<StoredResource | null> {
    // Not findUnique: Prisma batches concurrent findUnique calls into one query, which past a few thousand
    // exceeds SQLite's bound-parameter limit (a burst of change events each read by a subscriber did that).
    const row = await this.parts.reader.resource.findFirst({ where: keyOf(key) });
    return row && toStoredResource(row);
  }

  async list(query: ListQuery): Promise<ListResult> {
    const { reader } = this.parts;
    const where = listCondition(this.backend, query);
    // One statement, so one snapshot: the page, and the total as an uncorrelated subquery (computed once;
    // unlike COUNT(*) OVER (), it leaves the page an index walk that stops after the page).
    const rows = await reader.$queryRaw<(ResourceRow & { total: bigint | number })[]>`
      SELECT r.type, r.mesh, r.name, r.version, r.labels, r.spec, r."creationTime", r."modificationTime",
             (SELECT COUNT(*) FROM resources r WHERE ${where}) AS total
      FROM resources r WHERE ${where} ORDER BY r.name, r.mesh ${pageClause(query)}`;
    if (rows[0]) return { total: Number(rows[0].total), items: rows.map(toStoredResource) };
    // An empty page says nothing of the total.
    const [{ total }] = await reader.$queryRaw<[{ total: bigint | number }]>`SELECT COUNT(*) AS total FROM resources r WHERE ${where}`;
    return { total: Number(total), items: [] };
  }

  create(resource: NewResource): Promise<StoredResource> {
    return this.write(async (writer) => {
      const now = new Date();
      try {
        const row = await writer.resource.create({
          data: { ...keyOf(resource), ...contentOf(resource), version: 1, creationTime: now, modificationTime: now },
        });
        return this.committed("create", row);
      } catch (error) {
        if (prismaCode(error) === uniqueViolation) throw new AlreadyExistsError(keyOf(resource));
        throw error;
      }
    });
  }

  update(resource: ResourceUpdate): Promise<StoredResource> {
    return this.write(async (writer) => {
      const [row] = await writer.resource.updateManyAndReturn({
        where: { ...keyOf(resource), version: resource.version },
        data: { ...contentOf(resource), version: { increment: 1 }, modificationTime: new Date() },
      });
      if (!row) return this.rejectStale(resource, resource.version);
      return this.committed("update", row);
    });
  }

  upsert(resource: NewResource): Promise<StoredResource> {
    return this.write(async (writer) => {
      const now = new Date();
      const row = await writer.resource.upsert({
        where: byKey(resource),
        create: { ...keyOf(resource), ...contentOf(resource), version: 1, creationTime: now, modificationTime: now },
        update: { ...contentOf(resource), version: { increment: 1 }, modificationTime: now },
      });
      return this.committed(row.version === 1 ? "create" : "update", row);
    });
  }

  upsertMany(resources: NewResource[]): Promise<StoredResource[]> {
    const keyText = (key: ResourceKey) => JSON.stringify([key.type, key.mesh, key.name]);
    const keys = resources.map(keyText);
    const repeated = keys.find((k, i) => keys.indexOf(k) !== i);
    if (repeated) return Promise.reject(new Error(`upsertMany: ${repeated} appears more than once`));
    if (resources.length === 0) return Promise.resolve([]);
    return this.write(async (writer) => {
      const now = new Date();
      const chunks: NewResource[][] = [];
      for (let i = 0; i < resources.length; i += upsertChunkRows) chunks.push(resources.slice(i, i + upsertChunkRows));
      // One transaction of one statement per chunk: all rows are written, or none.
      const written = await writer.$transaction(chunks.map((chunk) => writer.$queryRaw<ResourceRow[]>(upsertRows(this.backend, chunk, now))));
      // RETURNING promises no order: rows and events follow the caller's.
      const rowByKey = new Map(written.flat().map((row) => [keyText(row), row]));
      const rows = keys.map((k) => rowByKey.get(k)!);
      this.parts.feed.committed(rows.map((row) => changeOf(row.version === 1 ? "create" : "update", row)));
      return rows.map(toStoredResource);
    });
  }

  delete(key: ResourceKey, opts: { version?: number } = {}): Promise<void> {
    return this.write(async (writer) => {
      try {
        const row = await writer.resource.delete({
          where: { ...byKey(key), ...(opts.version !== undefined && { version: opts.version }) },
        });
        this.committed("delete", row);
      } catch (error) {
        if (prismaCode(error) !== recordNotFound) throw error;
        if (opts.version === undefined) throw new NotFoundError(keyOf(key));
        await this.rejectStale(key, opts.version);
      }
    });
  }

  deleteMesh(name: string): Promise<void> {
    const meshKey = { type: "Mesh", mesh: "", name };
    return this.write(async (writer) => {
      const events = await writer.$transaction(async (tx) => {
        const meshRow = await tx.resource.findUnique({ where: byKey(meshKey), select: { id: true, version: true } });
        if (!meshRow) throw new NotFoundError(meshKey);
        const inMesh = await tx.resource.findMany({ where: { mesh: name }, select: { type: true, mesh: true, name: true, version: true } });
        await tx.resource.deleteMany({ where: { mesh: name } });
        // The Mesh goes last: whoever reacts to its deletion finds its resources already gone.
        await tx.resource.delete({ where: { id: meshRow.id } });
        return [...inMesh, { ...meshKey, version: meshRow.version }].map((row) => changeOf("delete", row));
      });
      this.parts.feed.committed(events);
    });
  }

  subscribe(listener: ChangeListener): () => void {
    return this.parts.feed.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.parts.feed.close();
    await this.parts.writer.$disconnect();
    if (this.parts.reader !== this.parts.writer) await this.parts.reader.$disconnect();
  }

  private write<T>(task: (writer: PrismaClient) => Promise<T>): Promise<T> {
    const run = () => task(this.parts.writer);
    return this.parts.serializeWrites ? this.writes.run(run) : run();
  }

  private committed(op: ChangeOp, row: ResourceRow): StoredResource {
    this.parts.feed.committed([changeOf(op, row)]);
    return toStoredResource(row);
  }

  /** Throws why a version-guarded write matched no row: the resource is gone, or its version moved on. */
  private async rejectStale(key: ResourceKey, expectedVersion: number): Promise<never> {
    const current = await this.parts.writer.resource.findUnique({ where: byKey(key), select: { version: true } });
    throw current ? new ConflictError(keyOf(key), expectedVersion, current.version) : new NotFoundError(keyOf(key));
  }
}
