import { SERVICE_TAG, type DataplaneBody, resourceTypes } from "@zonemesh/resources";
import type { ResourceStore, StoredResource } from "@zonemesh/store";
import { type DataplaneStatus, dataplaneStatus } from "./dataplane-status";
import { isOnline } from "./online-status";
import type { ApiRoute } from "./route";

interface Counts {
  total: number;
  online: number;
  offline: number;
}

const counter = (): Counts => ({ total: 0, online: 0, offline: 0 });
const count = (counts: Counts, online: boolean) => {
  counts.total++;
  if (online) counts.online++;
  else counts.offline++;
};

/** Kuma's dataplane counts: online, offline and partially degraded are disjoint and add up to total. */
interface DataplaneCounts extends Counts {
  partiallyDegraded: number;
}

const dataplaneCounter = (): DataplaneCounts => ({ ...counter(), partiallyDegraded: 0 });
const countDataplane = (counts: DataplaneCounts, status: DataplaneStatus) => {
  counts.total++;
  counts[status]++;
};

/** Every stored resource of `type` with its `<type>Insight` body (undefined when it has none). */
async function withInsights(store: ResourceStore, type: string): Promise<{ resource: StoredResource; insight: unknown }[]> {
  const [{ items: resources }, { items: insights }] = await Promise.all([store.list({ type }), store.list({ type: `${type}Insight` })]);
  const byKey = new Map(insights.map((i) => [`${i.mesh}/${i.name}`, i.spec]));
  return resources.map((resource) => ({ resource, insight: byKey.get(`${resource.mesh}/${resource.name}`) }));
}

async function globalInsight(store: ResourceStore) {
  const [meshes, zones, ingresses, dataplanes, policyTotals] = await Promise.all([
    store.list({ type: "Mesh", size: 1 }),
    withInsights(store, "Zone"),
    withInsights(store, "ZoneIngress"),
    withInsights(store, "Dataplane"),
    Promise.all(resourceTypes.filter((t) => t.isPolicy).map((t) => store.list({ type: t.name, size: 1 }).then((r) => r.total))),
  ]);
  const controlPlanes = counter();
  for (const zone of zones) count(controlPlanes, isOnline(zone.insight));
  const zoneIngresses = counter();
  for (const ingress of ingresses) count(zoneIngresses, isOnline(ingress.insight));

  const standard = dataplaneCounter();
  const gatewayBuiltin = dataplaneCounter();
  const gatewayDelegated = dataplaneCounter();
  // A service is online when at least one of its proxies is connected.
  const services = new Map<string, boolean>();
  for (const { resource, insight } of dataplanes) {
    const dataplane = resource.spec as DataplaneBody;
    const status = dataplaneStatus(dataplane, insight);
    const online = status !== "offline";
    const networking = dataplane.networking;
    if (networking.gateway) {
      countDataplane(networking.gateway.type === "BUILTIN" ? gatewayBuiltin : gatewayDelegated, status);
      continue;
    }
    countDataplane(standard, status);
    for (const inbound of networking.inbound ?? []) {
      const key = `${resource.mesh}/${inbound.tags[SERVICE_TAG]}`;
      services.set(key, (services.get(key) ?? false) || online);
    }
  }
  const internal = counter();
  for (const online of services.values()) count(internal, online);

  return {
    createdAt: new Date().toISOString(),
    meshes: { total: meshes.total },
    zones: { controlPlanes, zoneIngresses },
    dataplanes: { standard, gatewayBuiltin, gatewayDelegated },
    services: { total: internal.total, internal },
    policies: { total: policyTotals.reduce((a, b) => a + b, 0) },
  };
}

const countsSchema = { type: "object", properties: { total: { type: "integer" }, online: { type: "integer" }, offline: { type: "integer" } } };
const dataplaneCountsSchema = {
  type: "object",
  description: "online, offline and partiallyDegraded (connected, some inbound not ready) are disjoint and add up to total",
  properties: { ...countsSchema.properties, partiallyDegraded: { type: "integer" } },
};

// Kuma recomputes its insights at most once per second (KUMA_METRICS_MESH_MIN_RESYNC_INTERVAL); counting reads
// every dataplane and insight, so this does the same, and not at all while nothing changed.
const minRecomputeIntervalMs = 1000;

/** The global insight, recomputed on a request only after a change and at most once per interval. */
function cachedGlobalInsight(store: ResourceStore) {
  let cached: ReturnType<typeof globalInsight> | undefined;
  let computedAt = 0;
  let changed = false;
  store.subscribe(() => {
    changed = true;
  });
  return () => {
    if (!cached || (changed && Date.now() - computedAt >= minRecomputeIntervalMs)) {
      changed = false;
      computedAt = Date.now();
      const computing = globalInsight(store);
      cached = computing;
      computing.catch(() => {
        if (cached === computing) cached = undefined;
      });
    }
    return cached;
  };
}

/** Kuma's `/global-insight`: counts across all meshes and zones. */
export function globalInsightRoute(store: ResourceStore): ApiRoute {
  const current = cachedGlobalInsight(store);
  return {
    method: "GET",
    path: "/global-insight",
    operationId: "getGlobalInsight",
    summary: "Counts of meshes, zones (online/offline), dataplanes (online/offline/partiallyDegraded), services and policies",
    description: "As in Kuma, recomputed at most once per second: counts may lag a change by up to a second (`createdAt` says when they were made).",
    tag: "Insights",
    responses: {
      200: {
        description: "Global insight",
        schema: {
          type: "object",
          properties: {
            createdAt: { type: "string", format: "date-time" },
            meshes: { type: "object", properties: { total: { type: "integer" } } },
            zones: { type: "object", properties: { controlPlanes: countsSchema, zoneIngresses: countsSchema } },
            dataplanes: { type: "object", properties: { standard: dataplaneCountsSchema, gatewayBuiltin: dataplaneCountsSchema, gatewayDelegated: dataplaneCountsSchema } },
            services: { type: "object", properties: { total: { type: "integer" }, internal: countsSchema } },
            policies: { type: "object", properties: { total: { type: "integer" } } },
          },
        },
      },
    },
    handler: async () => current(),
  };
}
