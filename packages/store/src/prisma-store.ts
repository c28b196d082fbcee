import type { ChangeFeed } from "./change-feed/change-feed";
import { listCondition, pageClause } from "./list-query";
import { AlreadyExistsError, ConflictError, NotFoundError } from "./errors";
import type { OpenedStore } from "./open-store";
import type { PrismaClient, TransactionClient } from "./prisma-client";
import { changeOf, keyOf, labelRows, specText, toStoredResource, withLabels } from "./resource-rows";
import type {
  ChangeEvent,
  ChangeListener,
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
  /** Runs every write transaction. */
  writer: PrismaClient;
  /** Runs reads; SQLite gives it its own connection so that reads never see a write transaction in progress. */
  reader: PrismaClient;
  feed: ChangeFeed;
  appliedMigrations: string[];
}

const byKey = (key: ResourceKey) => ({ type_mesh_name: keyOf(key) });

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

/** Throws the reason a version-guarded write matched no row: the resource is gone, or its version moved on. */
async function rejectStale(tx: TransactionClient, key: ResourceKey, expectedVersion: number): Promise<never> {
  const current = await tx.resource.findUnique({ where: byKey(key), select: { version: true } });
  throw current ? new ConflictError(keyOf(key), expectedVersion, current.version) : new NotFoundError(keyOf(key));
}

export class PrismaResourceStore implements OpenedStore {
  readonly backend: ResourceStore["backend"];
  readonly appliedMigrations: string[];

  constructor(private readonly parts: PrismaStoreParts) {
    this.backend = parts.backend;
    this.appliedMigrations = parts.appliedMigrations;
  }

  async get(key: ResourceKey): Promise<StoredResource | null> {
    const row = await this.parts.reader.resource.findUnique({ where: byKey(key), include: withLabels });
    return row && toStoredResource(row);
  }

  list(query: ListQuery): Promise<ListResult> {
    const where = listCondition(this.backend, query);
    // One read transaction, so that the total and the page come from the same snapshot.
    return this.parts.reader.$transaction(async (tx) => {
      const [{ total }] = await tx.$queryRaw<[{ total: bigint | number }]>`SELECT COUNT(*) AS total FROM resources r WHERE ${where}`;
      const page = await tx.$queryRaw<{ id: number }[]>`SELECT r.id FROM resources r WHERE ${where} ORDER BY r.name, r.mesh ${pageClause(query)}`;
      const rows = await tx.resource.findMany({ where: { id: { in: page.map((row) => Number(row.id)) } }, include: withLabels });
      const position = new Map(page.map((row, index) => [Number(row.id), index]));
      rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
      return { total: Number(total), items: rows.map(toStoredResource) };
    });
  }

  create(resource: NewResource): Promise<StoredResource> {
    return this.write(async (tx) => {
      const row = await insert(tx, resource);
      return { result: toStoredResource(row), events: [changeOf("create", row)] };
    });
  }

  update(resource: ResourceUpdate): Promise<StoredResource> {
    return this.write(async (tx) => {
      const row = await replace(tx, resource, resource.version);
      if (!row) return rejectStale(tx, resource, resource.version);
      return { result: toStoredResource(row), events: [changeOf("update", row)] };
    });
  }

  async upsert(resource: NewResource): Promise<StoredResource> {
    const upsertOnce = () =>
      this.write(async (tx) => {
        const replaced = await replace(tx, resource);
        const row = replaced ?? (await insert(tx, resource));
        return { result: toStoredResource(row), events: [changeOf(replaced ? "update" : "create", row)] };
      });
    try {
      return await upsertOnce();
    } catch (error) {
      // Another writer created the resource between our update (no row) and our insert: it exists now.
      if (error instanceof AlreadyExistsError) return upsertOnce();
      throw error;
    }
  }

  delete(key: ResourceKey, opts: { version?: number } = {}): Promise<void> {
    return this.write(async (tx) => {
      const current = await tx.resource.findUnique({ where: byKey(key), select: { version: true } });
      if (!current) throw new NotFoundError(keyOf(key));
      const version = opts.version ?? current.version;
      const { count } = await tx.resource.deleteMany({ where: { ...keyOf(key), version } });
      if (count === 0) return rejectStale(tx, key, version);
      return { result: undefined, events: [changeOf("delete", { ...key, version })] };
    });
  }

  deleteMesh(name: string): Promise<void> {
    return this.write(async (tx) => {
      const rows = await tx.resource.findMany({
        where: { OR: [{ type: "Mesh", mesh: "", name }, { mesh: name }] },
        select: { id: true, type: true, mesh: true, name: true, version: true },
      });
      const meshKey = { type: "Mesh", mesh: "", name };
      const isTheMesh = (row: ResourceKey) => row.type === "Mesh" && row.mesh === "" && row.name === name;
      if (!rows.some(isTheMesh)) throw new NotFoundError(meshKey);
      await tx.resource.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
      // The Mesh's own event comes last: whoever reacts to it finds its resources already gone.
      const events = rows.map((row) => changeOf("delete", row)).sort((a, b) => Number(isTheMesh(a)) - Number(isTheMesh(b)));
      return { result: undefined, events };
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

  /** Runs `work` in one transaction that also publishes its events; listeners hear of them after commit. */
  private async write<T>(work: (tx: TransactionClient) => Promise<{ result: T; events: ChangeEvent[] }>): Promise<T> {
    const { feed, writer } = this.parts;
    const { result, events } = await writer.$transaction(async (tx) => {
      const outcome = await work(tx);
      await feed.publish(tx, outcome.events);
      return outcome;
    });
    feed.committed(events);
    return result;
  }
}

async function insert(tx: TransactionClient, resource: NewResource) {
  const now = new Date();
  try {
    return await tx.resource.create({
      data: {
        ...keyOf(resource),
        version: 1,
        spec: specText(resource.spec),
        creationTime: now,
        modificationTime: now,
        labels: { create: labelRows(resource.labels) },
      },
      include: withLabels,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AlreadyExistsError(keyOf(resource));
    throw error;
  }
}

/**
 * Replaces spec and labels and bumps the version in one guarded UPDATE (`... WHERE version = ?` when
 * `expectedVersion` is given), so a concurrent writer can never be overwritten unseen. Null when no row matched.
 */
async function replace(tx: TransactionClient, resource: NewResource, expectedVersion?: number) {
  const { count } = await tx.resource.updateMany({
    where: { ...keyOf(resource), ...(expectedVersion !== undefined && { version: expectedVersion }) },
    data: { version: { increment: 1 }, spec: specText(resource.spec), modificationTime: new Date() },
  });
  if (count === 0) return null;
  return tx.resource.update({
    where: byKey(resource),
    data: { labels: { deleteMany: {}, create: labelRows(resource.labels) } },
    include: withLabels,
  });
}
