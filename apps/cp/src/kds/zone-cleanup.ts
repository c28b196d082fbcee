// Resources synced from a zone stay on the global while the zone is offline; they are removed only when
// an operator deletes the zone's Zone resource. A zone CP that is still running then reconnects, the Zone
// is created again and the zone sends everything afresh.
import type { ResourceStore } from "@zonemesh/store";
import { NotFoundError } from "@zonemesh/store";
import { ORIGIN_LABEL, ZONE_LABEL, zoneToGlobalTypes } from "./sync-types";

export interface ZoneCleanup {
  /** True while a deleted zone's resources are being removed: the zone must not sync meanwhile. */
  inProgress(zone: string): boolean;
  close(): Promise<void>;
}

export interface ZoneCleanupHooks {
  disconnect(zone: string, reason: string): void;
  /** Resolves when nothing more will write the zone's ZoneInsight (the disconnect's own update included). */
  insightSettled(zone: string): Promise<void>;
}

export function cleanUpDeletedZones(store: ResourceStore, hooks: ZoneCleanupHooks): ZoneCleanup {
  const running = new Map<string, Promise<void>>();

  async function removeZoneResources(zone: string): Promise<void> {
    const labels = { [ORIGIN_LABEL]: "zone", [ZONE_LABEL]: zone };
    for (const type of zoneToGlobalTypes) {
      const { items } = await store.list({ type, labels });
      for (const item of items) await deleteIfPresent({ type, mesh: item.mesh, name: item.name });
    }
    await hooks.insightSettled(zone);
    await deleteIfPresent({ type: "ZoneInsight", mesh: "", name: zone });
  }

  async function deleteIfPresent(key: { type: string; mesh: string; name: string }): Promise<void> {
    try {
      await store.delete(key);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  const unsubscribe = store.subscribe((event) => {
    if (event.type !== "Zone" || event.op !== "delete" || running.has(event.name)) return;
    const zone = event.name;
    hooks.disconnect(zone, `zone "${zone}" was deleted on the global control plane`);
    const cleanup = removeZoneResources(zone)
      .catch((error: Error) => console.error(`kds: could not remove the resources of deleted zone "${zone}": ${error.message}`))
      .finally(() => running.delete(zone));
    running.set(zone, cleanup);
  });

  return {
    inProgress: (zone) => running.has(zone),
    async close() {
      unsubscribe();
      await Promise.all(running.values());
    },
  };
}
