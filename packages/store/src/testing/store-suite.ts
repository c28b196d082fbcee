// The one behaviour suite every store backend must pass (sqlite.test.ts, postgres.test.ts run it).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { AlreadyExistsError, ConflictError, NotFoundError } from "../errors";
import { openStore, type OpenedStore, type StoreOptions } from "../open-store";
import { upsertChunkRows } from "../upsert-rows";
import type { ChangeEvent, NewResource, ResourceStore } from "../types";

export interface StoreSuiteTarget {
  after?(): Promise<void>;
  /** Options that open a fresh, empty database. */
  newDatabase(): Promise<StoreOptions>;
  /** Whether stores opened on one database hear each other's changes (PostgreSQL's LISTEN/NOTIFY). */
  sharesChangesAcrossStores: boolean;
}

const dataplane = (name: string, mesh = "default", service = "web", labels: Record<string, string> = {}): NewResource => ({
  type: "Dataplane",
  mesh,
  name,
  labels,
  spec: { networking: { address: "10.0.0.1", inbound: [{ port: 8080, servicePort: 80, tags: { "kuma.io/service": service } }] } },
});
const mesh = (name: string): NewResource => ({ type: "Mesh", mesh: "", name, spec: { mtls: { enabledBackend: "ca-1" } } });
const key = ({ type, mesh, name }: NewResource) => ({ type, mesh, name });

async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

/** Records a store's change events; `next(n)` waits for n more of them (PostgreSQL delivers them asynchronously). */
function recordChanges(store: ResourceStore) {
  const events: ChangeEvent[] = [];
  const unsubscribe = store.subscribe((event) => events.push(event));
  let seen = 0;
  return {
    events,
    unsubscribe,
    async next(count: number): Promise<ChangeEvent[]> {
      await eventually(() => assert.ok(events.length >= seen + count, `expected ${count} more change events, got ${events.length - seen}`));
      const batch = events.slice(seen, seen + count);
      seen += count;
      return batch;
    },
  };
}

export function runStoreSuite(name: string, target: StoreSuiteTarget): void {
  describe(name, () => {
    const opened: ResourceStore[] = [];
    const open = async (options?: StoreOptions): Promise<OpenedStore> => {
      const store = await openStore(options ?? (await target.newDatabase()));
      opened.push(store);
      return store;
    };

    after(async () => {
      await Promise.all(opened.map((store) => store.close()));
      await target.after?.();
    });

    it("creates, reads, updates and deletes a resource, keeping labels, spec and times", async () => {
      const store = await open();
      const created = await store.create(dataplane("web-1", "default", "web", { team: "a", "kuma.io/zone": "east" }));
      assert.equal(created.version, 1);
      assert.deepEqual(created.labels, { team: "a", "kuma.io/zone": "east" });
      assert.equal(created.creationTime.getTime(), created.modificationTime.getTime());

      const read = await store.get(key(created));
      assert.deepEqual(read, created);

      await new Promise((resolve) => setTimeout(resolve, 5));
      const spec = { networking: { address: "10.0.0.2", inbound: [{ port: 9090, tags: { "kuma.io/service": "web" } }] } };
      const updated = await store.update({ ...key(created), version: 1, labels: { team: "b" }, spec });
      assert.equal(updated.version, 2);
      assert.deepEqual(updated.labels, { team: "b" });
      assert.deepEqual(updated.spec, spec);
      assert.deepEqual(updated.creationTime, created.creationTime);
      assert.ok(updated.modificationTime > created.modificationTime);
      assert.deepEqual(await store.get(key(created)), updated);

      await store.delete(key(created));
      assert.equal(await store.get(key(created)), null);
    });

    it("rejects creating an existing resource and leaves it unchanged", async () => {
      const store = await open();
      const first = await store.create(dataplane("web-1"));
      await assert.rejects(store.create({ ...dataplane("web-1"), labels: { x: "y" } }), AlreadyExistsError);
      assert.deepEqual(await store.get(key(first)), first);
      // The same name in another mesh or of another type is another resource.
      await store.create(dataplane("web-1", "other"));
      await store.create({ ...dataplane("web-1"), type: "MeshTimeout" });
    });

    it("rejects an update with a stale version, so of two concurrent updates exactly one wins", async () => {
      const store = await open();
      const created = await store.create(dataplane("web-1"));
      const results = await Promise.allSettled(
        ["a", "b"].map((team) => store.update({ ...dataplane("web-1"), labels: { team }, version: created.version })),
      );
      const won = results.filter((result) => result.status === "fulfilled");
      const lost = results.filter((result) => result.status === "rejected");
      assert.equal(won.length, 1);
      assert.ok(lost[0]?.reason instanceof ConflictError);
      assert.equal(lost[0].reason.expectedVersion, 1);
      assert.equal(lost[0].reason.actualVersion, 2);
      const stored = await store.get(key(created));
      assert.equal(stored?.version, 2);
      assert.deepEqual(stored?.labels, won[0]?.status === "fulfilled" ? won[0].value.labels : undefined);
    });

    it("rejects a delete with a stale version and keeps the resource", async () => {
      const store = await open();
      const created = await store.create(dataplane("web-1"));
      await store.update({ ...dataplane("web-1"), version: 1 });
      await assert.rejects(store.delete(key(created), { version: 1 }), ConflictError);
      assert.equal((await store.get(key(created)))?.version, 2);
      await store.delete(key(created), { version: 2 });
      assert.equal(await store.get(key(created)), null);
    });

    it("reports a missing resource as not found on get, update and delete", async () => {
      const store = await open();
      assert.equal(await store.get(key(dataplane("ghost"))), null);
      await assert.rejects(store.update({ ...dataplane("ghost"), version: 1 }), NotFoundError);
      await assert.rejects(store.delete(key(dataplane("ghost"))), NotFoundError);
    });

    it("upserts: creates when missing, replaces whatever the version", async () => {
      const store = await open();
      const created = await store.upsert(dataplane("web-1", "default", "web", { a: "1" }));
      assert.equal(created.version, 1);
      await store.update({ ...dataplane("web-1"), version: 1 });
      const replaced = await store.upsert(dataplane("web-1", "default", "api", { b: "2" }));
      assert.equal(replaced.version, 3);
      assert.deepEqual(replaced.labels, { b: "2" });
      assert.deepEqual(replaced.creationTime, created.creationTime);
      assert.deepEqual((await store.get(key(created)))?.spec, dataplane("web-1", "default", "api").spec);
    });

    it("answers thousands of concurrent gets (a burst of change events each read by a subscriber)", async () => {
      const store = await open();
      const count = 3_000;
      await store.upsertMany(Array.from({ length: count }, (_, i) => dataplane(`web-${i}`)));
      const found = await Promise.all(Array.from({ length: count + 1 }, (_, i) => store.get(key(dataplane(`web-${i}`)))));
      assert.deepEqual(found.slice(0, count).map((r) => r?.name), Array.from({ length: count }, (_, i) => `web-${i}`));
      assert.equal(found[count], null);
    });

    it("upserts many in one call: creates and updates, results in the given order", async () => {
      const store = await open();
      const existing = await store.upsert(dataplane("web-1", "default", "web", { a: "1" }));
      await store.update({ ...dataplane("web-1"), version: 1 });
      const written = await store.upsertMany([dataplane("web-2", "default", "api", { b: "2" }), dataplane("web-1", "default", "api", { c: "3" })]);
      assert.deepEqual(written.map((r) => `${r.name} v${r.version}`), ["web-2 v1", "web-1 v3"]);
      assert.deepEqual(written[1]?.labels, { c: "3" });
      assert.deepEqual(written[1]?.spec, dataplane("web-1", "default", "api").spec);
      assert.deepEqual(written[1]?.creationTime, existing.creationTime);
      assert.ok(written[1]!.modificationTime > existing.modificationTime);
      for (const resource of written) assert.deepEqual(await store.get(key(resource)), resource);
      assert.deepEqual(await store.upsertMany([]), []);
      await assert.rejects(store.upsertMany([dataplane("web-3"), dataplane("web-3")]), /more than once/);
      assert.equal(await store.get(key(dataplane("web-3"))), null);
    });

    it("upserts many in one transaction: an invalid row fails the whole batch, across chunks", async () => {
      const store = await open();
      const changes = recordChanges(store);
      const existing = await store.upsert(dataplane("web-0"));
      await changes.next(1);
      const valid = Array.from({ length: upsertChunkRows + 10 }, (_, i) => dataplane(`web-${i}`));
      const invalid = { ...dataplane("broken"), name: null as unknown as string };
      await assert.rejects(store.upsertMany([...valid, invalid]));
      assert.deepEqual(await store.get(key(existing)), existing);
      assert.equal((await store.list({ type: "Dataplane" })).total, 1);

      await store.upsert(dataplane("canary"));
      assert.deepEqual((await changes.next(1)).map((e) => e.name), ["canary"]);
      assert.equal(changes.events.length, 2);
    });

    it("upserts a batch larger than a statement's chunk, telling subscribers of each row after commit", async () => {
      const store = await open();
      const changes = recordChanges(store);
      await store.upsert(dataplane("web-7"));
      await changes.next(1);
      // Read one at a time: Prisma would batch a thousand concurrent reads into one query over SQLite's parameter limit.
      const readByListener: number[] = [];
      let reads = Promise.resolve();
      const stopReading = store.subscribe((event) => {
        reads = reads.then(async () => void readByListener.push((await store.get(event))?.version ?? 0));
      });
      const count = 2 * upsertChunkRows + 7;
      const written = await store.upsertMany(Array.from({ length: count }, (_, i) => dataplane(`web-${i}`)));
      assert.equal(written.length, count);
      assert.equal((await store.list({ type: "Dataplane" })).total, count);

      const events = await changes.next(count);
      assert.deepEqual(events[0], { op: "create", type: "Dataplane", mesh: "default", name: "web-0", version: 1 });
      assert.deepEqual(events[7], { op: "update", type: "Dataplane", mesh: "default", name: "web-7", version: 2 });
      assert.deepEqual(events.map((e) => e.name), written.map((r) => r.name));
      await eventually(() => assert.equal(readByListener.length, count));
      stopReading();
      assert.ok(readByListener.every((version) => version > 0), "an event came before its write was visible");
    });

    it("lists by type ordered by name then mesh, with the total and pages by offset and size", async () => {
      const store = await open();
      for (const [name, meshName] of [["c", "default"], ["a", "zeta"], ["b", "default"], ["a", "default"]] as const) {
        await store.create(dataplane(name, meshName));
      }
      await store.create({ ...dataplane("a"), type: "MeshRetry" });
      const all = await store.list({ type: "Dataplane" });
      assert.equal(all.total, 4);
      assert.deepEqual(all.items.map((r) => `${r.mesh}/${r.name}`), ["default/a", "zeta/a", "default/b", "default/c"]);

      const page = await store.list({ type: "Dataplane", offset: 1, size: 2 });
      assert.equal(page.total, 4);
      assert.deepEqual(page.items.map((r) => `${r.mesh}/${r.name}`), ["zeta/a", "default/b"]);
      assert.deepEqual(await store.list({ type: "Dataplane", offset: 4, size: 2 }), { total: 4, items: [] });
      assert.deepEqual(await store.list({ type: "Dataplane", size: 0 }), { total: 4, items: [] });
      assert.deepEqual(await store.list({ type: "Dataplane", mesh: "nowhere" }), { total: 0, items: [] });

      // Bytewise, as SQLite compares, whatever the PostgreSQL database's locale.
      for (const name of ["b", "B", "a_1", "a-2"]) await store.create({ ...dataplane(name), type: "MeshTimeout" });
      assert.deepEqual((await store.list({ type: "MeshTimeout" })).items.map((r) => r.name), ["B", "a-2", "a_1", "b"]);

      const inMesh = await store.list({ type: "Dataplane", mesh: "default", size: 2 });
      assert.equal(inMesh.total, 3);
      assert.deepEqual(inMesh.items.map((r) => r.name), ["a", "b"]);
    });

    it("filters lists by every label pair and by a case-sensitive name substring", async () => {
      const store = await open();
      await store.create(dataplane("web-1", "default", "web", { team: "a", env: "prod" }));
      await store.create(dataplane("web-2", "default", "web", { team: "a", env: "dev" }));
      await store.create(dataplane("api-1", "default", "api", { team: "b", env: "prod" }));
      await store.create(dataplane("Web_3%", "default", "web", { team: "a", 'odd."key': "x" }));
      const names = async (query: Omit<Parameters<ResourceStore["list"]>[0], "type">) =>
        (await store.list({ type: "Dataplane", ...query })).items.map((r) => r.name);

      assert.deepEqual(await names({ labels: { team: "a" } }), ["Web_3%", "web-1", "web-2"]);
      assert.deepEqual(await names({ labels: { team: "a", env: "prod" } }), ["web-1"]);
      assert.deepEqual(await names({ labels: { team: "c" } }), []);
      assert.deepEqual(await names({ labels: { 'odd."key': "x" } }), ["Web_3%"]);
      assert.deepEqual(await names({ labels: { team: "a" }, offset: 1, size: 1 }), ["web-1"]);
      assert.equal((await store.list({ type: "Dataplane", labels: { env: "prod" }, size: 1 })).total, 2);

      assert.deepEqual(await names({ nameContains: "web" }), ["web-1", "web-2"]);
      assert.deepEqual(await names({ nameContains: "-1" }), ["api-1", "web-1"]);
      // LIKE wildcards in the substring are literal characters.
      assert.deepEqual(await names({ nameContains: "_" }), ["Web_3%"]);
      assert.deepEqual(await names({ nameContains: "%" }), ["Web_3%"]);
      assert.deepEqual(await names({ nameContains: "web", labels: { env: "dev" } }), ["web-2"]);
    });

    it("deletes a mesh with everything in it in one go, one event each, the mesh's last", async () => {
      const store = await open();
      const changes = recordChanges(store);
      await store.create(mesh("default"));
      await store.create(mesh("other"));
      await store.create(dataplane("web-1"));
      await store.create({ ...dataplane("mtp"), type: "MeshTrafficPermission", spec: { spec: { targetRef: { kind: "Mesh" } } } });
      await store.create(dataplane("web-1", "other"));
      await store.create({ type: "Zone", mesh: "", name: "east", spec: {} });
      await changes.next(6);

      await store.deleteMesh("default");
      const events = await changes.next(3);
      assert.deepEqual(
        events.map((e) => `${e.op} ${e.type} ${e.mesh}/${e.name} v${e.version}`).slice(0, 2).sort(),
        ["delete Dataplane default/web-1 v1", "delete MeshTrafficPermission default/mtp v1"],
      );
      assert.deepEqual(events[2], { op: "delete", type: "Mesh", mesh: "", name: "default", version: 1 });
      assert.equal(await store.get(key(mesh("default"))), null);
      assert.equal((await store.list({ type: "Dataplane", mesh: "default" })).total, 0);
      assert.equal((await store.list({ type: "MeshTrafficPermission" })).total, 0);
      assert.equal((await store.list({ type: "Dataplane", mesh: "other" })).total, 1);
      assert.equal((await store.list({ type: "Zone" })).total, 1);

      await assert.rejects(store.deleteMesh("default"), NotFoundError);
      await assert.rejects(store.deleteMesh(""), NotFoundError);
      assert.equal((await store.list({ type: "Zone" })).total, 1);
    });

    it("keeps its change feed true to its content when writes race a mesh deletion", async () => {
      const store = await open();
      await store.create(mesh("default"));
      for (let i = 0; i < 50; i++) await store.create(dataplane(`early-${i}`));
      const changes = recordChanges(store);
      const deletion = store.deleteMesh("default");
      const racing = Array.from({ length: 50 }, (_, i) => store.create(dataplane(`late-${i}`)));
      await Promise.all([deletion, ...racing]);

      const stored = (await store.list({ type: "Dataplane" })).items.map((r) => r.name).sort();
      await eventually(() => {
        const replayed = new Set<string>();
        for (const e of changes.events) if (e.type === "Dataplane") e.op === "delete" ? replayed.delete(e.name) : replayed.add(e.name);
        assert.deepEqual([...replayed].sort(), stored);
      });
    });

    it("tells subscribers of each change after commit, and nothing of a rejected write", async () => {
      const store = await open();
      const changes = recordChanges(store);
      // What a listener reads when told of a change: the change must be visible already (committed).
      const readByListener: number[] = [];
      const stopReading = store.subscribe((event) => {
        void store.get(event).then((resource) => readByListener.push(resource?.version ?? 0));
      });

      await store.create(dataplane("web-1"));
      await store.update({ ...dataplane("web-1"), version: 1 });
      await assert.rejects(store.update({ ...dataplane("web-1"), version: 1 }), ConflictError);
      await assert.rejects(store.create(dataplane("web-1")), AlreadyExistsError);
      await store.upsert(dataplane("web-2"));
      const created = await changes.next(3);
      assert.deepEqual(created, [
        { op: "create", type: "Dataplane", mesh: "default", name: "web-1", version: 1 },
        { op: "update", type: "Dataplane", mesh: "default", name: "web-1", version: 2 },
        { op: "create", type: "Dataplane", mesh: "default", name: "web-2", version: 1 },
      ]);
      await eventually(() => assert.equal(readByListener.length, 3));
      stopReading();
      readByListener.forEach((version, i) => assert.ok(version >= created[i]!.version, `event ${i} came before its write was visible`));

      await store.delete(key(dataplane("web-1")));
      assert.deepEqual(await changes.next(1), [{ op: "delete", type: "Dataplane", mesh: "default", name: "web-1", version: 2 }]);

      changes.unsubscribe();
      await store.create(dataplane("web-3"));
      const canary = recordChanges(store);
      await store.create(dataplane("web-4"));
      await canary.next(1);
      assert.equal(changes.events.length, 4);
    });

    it("keeps its data when reopened and applies no migration twice", async () => {
      const options = await target.newDatabase();
      const first = await open(options);
      assert.ok(first.appliedMigrations.length > 0);
      const created = await first.create(dataplane("web-1", "default", "web", { team: "a" }));
      await first.close();
      opened.splice(opened.indexOf(first), 1);

      const second = await open(options);
      assert.deepEqual(second.appliedMigrations, []);
      assert.deepEqual(await second.get(key(created)), created);
    });

    if (target.sharesChangesAcrossStores) {
      it("two stores on one database each hear the other's changes", async () => {
        const options = await target.newDatabase();
        const [a, b] = [await open(options), await open(options)];
        const [heardByA, heardByB] = [recordChanges(a), recordChanges(b)];

        await a.create(dataplane("from-a"));
        await b.create(dataplane("from-b"));
        const expected = [
          { op: "create", type: "Dataplane", mesh: "default", name: "from-a", version: 1 },
          { op: "create", type: "Dataplane", mesh: "default", name: "from-b", version: 1 },
        ];
        assert.deepEqual(await heardByA.next(2), expected);
        assert.deepEqual(await heardByB.next(2), expected);
        assert.equal((await b.get(key(dataplane("from-a"))))?.version, 1);
      });
    }
  });
}
