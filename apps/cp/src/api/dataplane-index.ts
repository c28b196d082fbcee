// Every Dataplane with its DataplaneInsight in memory, kept current by the store's change feed, so filtered
// `dataplanes+insights` pages and service insights do not read 20,000 rows per request. Loaded on first use; a
// change marks its key stale and the next read re-reads only the stale keys (all of them when there are many).
import { ZONE_TAG, type DataplaneBody } from "@zonemesh/resources";
import type { ResourceStore, StoredResource } from "@zonemesh/store";
import { type DataplaneStatus, dataplaneStatus } from "./dataplane-status";
import { isOnline } from "./online-status";

export interface IndexedDataplane {
  resource: StoredResource;
  /** The insight's body; undefined when the dataplane has none yet. */
  insight: unknown;
  /** The `kuma.io/zone` label KDS stamps on synced dataplanes, else the zone tag of its first inbound (or gateway). */
  zone: string | undefined;
  status: DataplaneStatus;
  /** Connected to a CP (its newest subscription has not disconnected). */
  connected: boolean;
  /** The tag sets of its inbounds, or its gateway's alone. */
  tagSets: Record<string, string>[];
}

/** Above this many stale keys one list read of everything is cheaper than a read per key. */
const reloadAbove = 500;
const keyOf = (mesh: string, name: string) => `${mesh}/${name}`;

function indexed(resource: StoredResource, insight: unknown): IndexedDataplane {
  const dataplane = resource.spec as DataplaneBody;
  const networking = dataplane.networking;
  const tagSets = networking.gateway ? [networking.gateway.tags] : (networking.inbound ?? []).map((inbound) => inbound.tags);
  return {
    resource,
    insight,
    zone: resource.labels[ZONE_TAG] ?? tagSets[0]?.[ZONE_TAG],
    status: dataplaneStatus(dataplane, insight),
    connected: isOnline(insight),
    tagSets,
  };
}

export interface DataplaneIndex {
  /** Every dataplane (of one mesh), ordered like the store's lists (name, then mesh), current as of this call's start. */
  all(mesh?: string): Promise<readonly IndexedDataplane[]>;
  /** Bumped by every change that reached the index; aggregates cache on it. */
  generation(): number;
  close(): void;
}

export function dataplaneIndex(store: ResourceStore): DataplaneIndex {
  const byKey = new Map<string, IndexedDataplane>();
  let stale = new Set<string>();
  let started = false;
  let loaded: Promise<void> | undefined;
  let refreshing: Promise<void> | undefined;
  /** Keys in list order; recomputed only when a dataplane comes or goes, not on every insight update. */
  let sortedKeys: string[] | undefined;
  /** The lists handed out since the last change: unfiltered pages are slices of them. */
  let lists: { generation: number; all: IndexedDataplane[]; byMesh: Map<string, IndexedDataplane[]> } | undefined;
  let generation = 0;

  const unsubscribe = store.subscribe((event) => {
    if (!started || (event.type !== "Dataplane" && event.type !== "DataplaneInsight")) return;
    stale.add(keyOf(event.mesh, event.name));
  });

  async function loadAll() {
    const [resources, insights] = await Promise.all([store.list({ type: "Dataplane" }), store.list({ type: "DataplaneInsight" })]);
    const insightOf = new Map(insights.items.map((insight) => [keyOf(insight.mesh, insight.name), insight.spec]));
    byKey.clear();
    for (const resource of resources.items) byKey.set(keyOf(resource.mesh, resource.name), indexed(resource, insightOf.get(keyOf(resource.mesh, resource.name))));
  }

  async function refreshKeys(keys: string[]) {
    const rows = await Promise.all(
      keys.map(async (key) => {
        const slash = key.indexOf("/");
        const [mesh, name] = [key.slice(0, slash), key.slice(slash + 1)];
        const [resource, insight] = await Promise.all([store.get({ type: "Dataplane", mesh, name }), store.get({ type: "DataplaneInsight", mesh, name })]);
        return { key, resource, insight };
      }),
    );
    for (const { key, resource, insight } of rows) {
      if (byKey.has(key) !== Boolean(resource)) sortedKeys = undefined;
      if (!resource) byKey.delete(key);
      else byKey.set(key, indexed(resource, insight?.spec));
    }
  }

  async function refresh() {
    const keys = [...stale];
    stale = new Set();
    try {
      if (keys.length > reloadAbove) {
        await loadAll();
        sortedKeys = undefined;
      } else await refreshKeys(keys);
    } catch (error) {
      for (const key of keys) stale.add(key);
      throw error;
    }
    generation++;
  }

  /** Applies the changes seen so far; one refresh at a time, a reader waits for the one covering its start. */
  async function current() {
    if (!loaded) {
      started = true;
      loaded = loadAll().then(() => {
        sortedKeys = undefined;
        generation++;
      });
      loaded.catch(() => {
        loaded = undefined;
        started = false;
      });
    }
    await loaded;
    // A refresh already running may have started before this read's changes: wait for it, then for one more.
    if (refreshing) await refreshing;
    if (stale.size > 0) {
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      await refreshing;
    }
  }

  return {
    async all(mesh?: string) {
      await current();
      if (lists?.generation !== generation) {
        sortedKeys ??= [...byKey.values()]
          .sort((a, b) => compare(a.resource.name, b.resource.name) || compare(a.resource.mesh, b.resource.mesh))
          .map((dp) => keyOf(dp.resource.mesh, dp.resource.name));
        lists = { generation, all: sortedKeys.map((key) => byKey.get(key)!), byMesh: new Map() };
      }
      if (mesh === undefined) return lists.all;
      let ofMesh = lists.byMesh.get(mesh);
      if (!ofMesh) lists.byMesh.set(mesh, (ofMesh = lists.all.filter((dp) => dp.resource.mesh === mesh)));
      return ofMesh;
    },
    generation: () => generation,
    close: unsubscribe,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
