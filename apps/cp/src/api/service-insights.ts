// Kuma's service insights: per mesh and service (the `kuma.io/service` tag of an inbound or gateway), how many of
// its dataplane inbounds are online, in which zones, and the CA backends that issued their certificates. Computed
// from the dataplane index, at most once per second and only after a change (as Kuma's insight resyncer does).
import { SERVICE_TAG } from "@zonemesh/resources";
import type { DataplaneIndex, IndexedDataplane } from "./dataplane-index";

export interface DataplaneStat {
  online: number;
  offline: number;
  total: number;
}

export const serviceStatuses = ["online", "offline", "partially_degraded", "not_available"] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];

export interface ServiceInsight {
  type: "ServiceInsight";
  mesh: string;
  name: string;
  serviceType: "internal" | "gateway_builtin" | "gateway_delegated";
  status: ServiceStatus;
  /** Per inbound serving the service: online when its dataplane is connected and the inbound is ready. */
  dataplanes: DataplaneStat;
  /** Dataplanes per CA backend that issued their current certificate. */
  issuedBackends: Record<string, number>;
  /** Where it runs, by zone name, with the same counts. */
  zones: { name: string; dataplanes: DataplaneStat }[];
}

/** Zone of dataplanes whose zone is unknown (a standalone CP, or one not synced through KDS). */
export const UNKNOWN_ZONE = "";

const stat = (): DataplaneStat => ({ online: 0, offline: 0, total: 0 });
const add = (counts: DataplaneStat, online: boolean) => {
  counts.total++;
  if (online) counts.online++;
  else counts.offline++;
};

export function serviceStatus({ online, total }: DataplaneStat): ServiceStatus {
  if (total === 0) return "not_available";
  return online === total ? "online" : online === 0 ? "offline" : "partially_degraded";
}

interface Building extends Omit<ServiceInsight, "zones" | "status"> {
  zones: Map<string, DataplaneStat>;
}

function serviceType(dp: IndexedDataplane): ServiceInsight["serviceType"] {
  const gateway = (dp.resource.spec as { networking: { gateway?: { type?: string } } }).networking.gateway;
  if (!gateway) return "internal";
  return gateway.type === "BUILTIN" ? "gateway_builtin" : "gateway_delegated";
}

/** Every mesh's services, ordered by name. */
export function computeServiceInsights(dataplanes: readonly IndexedDataplane[]): Map<string, ServiceInsight[]> {
  const byKey = new Map<string, Building>();
  for (const dp of dataplanes) {
    const { mesh } = dp.resource;
    const inbounds = (dp.resource.spec as { networking: { inbound?: { health?: { ready?: boolean }; state?: string }[] } }).networking.inbound ?? [];
    const issued = (dp.insight as { mTLS?: { issuedBackend?: string } } | undefined)?.mTLS?.issuedBackend;
    dp.tagSets.forEach((tags, i) => {
      const name = tags[SERVICE_TAG];
      if (!name) return;
      const inbound = inbounds[i];
      const online = dp.connected && inbound?.health?.ready !== false && inbound?.state !== "NotReady";
      const key = `${mesh}/${name}`;
      let service = byKey.get(key);
      if (!service) {
        service = { type: "ServiceInsight", mesh, name, serviceType: serviceType(dp), dataplanes: stat(), issuedBackends: {}, zones: new Map() };
        byKey.set(key, service);
      }
      add(service.dataplanes, online);
      const zone = dp.zone ?? UNKNOWN_ZONE;
      const inZone = service.zones.get(zone) ?? stat();
      add(inZone, online);
      service.zones.set(zone, inZone);
      if (issued) service.issuedBackends[issued] = (service.issuedBackends[issued] ?? 0) + 1;
    });
  }
  const byMesh = new Map<string, ServiceInsight[]>();
  for (const service of byKey.values()) {
    const insight: ServiceInsight = {
      ...service,
      status: serviceStatus(service.dataplanes),
      zones: [...service.zones].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, dataplanes]) => ({ name, dataplanes })),
    };
    byMesh.set(service.mesh, [...(byMesh.get(service.mesh) ?? []), insight]);
  }
  for (const services of byMesh.values()) services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return byMesh;
}

// Kuma's KUMA_METRICS_MESH_MIN_RESYNC_INTERVAL: insights lag a change by up to a second.
const minRecomputeIntervalMs = 1000;

export interface ServiceInsights {
  /** The dataplane index generation they were computed from: their version. */
  generation: number;
  byMesh: Map<string, ServiceInsight[]>;
}

/** The service insights of every mesh: recomputed on a request when the index changed, at most once per interval. */
export function cachedServiceInsights(index: DataplaneIndex) {
  let cached: (ServiceInsights & { at: number }) | undefined;
  let computing: Promise<ServiceInsights> | undefined;
  return async (): Promise<ServiceInsights> => {
    if (cached && Date.now() - cached.at < minRecomputeIntervalMs) return cached;
    computing ??= index
      .all()
      .then((dataplanes) => {
        const generation = index.generation();
        if (!cached || cached.generation !== generation) cached = { generation, at: Date.now(), byMesh: computeServiceInsights(dataplanes) };
        else cached.at = Date.now();
        return cached;
      })
      .finally(() => {
        computing = undefined;
      });
    return computing;
  };
}
