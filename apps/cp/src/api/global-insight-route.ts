import { SERVICE_TAG, type DataplaneBody, resourceTypes } from "@zonemesh/resources";
import type { ResourceStore, StoredResource } from "@zonemesh/store";
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

/** Online status of every stored resource of `type`, from its `<type>Insight`. */
async function withStatus(store: ResourceStore, type: string): Promise<{ resource: StoredResource; online: boolean }[]> {
  const [{ items: resources }, { items: insights }] = await Promise.all([store.list({ type }), store.list({ type: `${type}Insight` })]);
  const onlineKeys = new Set(insights.filter((i) => isOnline(i.spec)).map((i) => `${i.mesh}/${i.name}`));
  return resources.map((resource) => ({ resource, online: onlineKeys.has(`${resource.mesh}/${resource.name}`) }));
}

async function globalInsight(store: ResourceStore) {
  const [meshes, zones, ingresses, dataplanes, policyTotals] = await Promise.all([
    store.list({ type: "Mesh", size: 1 }),
    withStatus(store, "Zone"),
    withStatus(store, "ZoneIngress"),
    withStatus(store, "Dataplane"),
    Promise.all(resourceTypes.filter((t) => t.isPolicy).map((t) => store.list({ type: t.name, size: 1 }).then((r) => r.total))),
  ]);
  const controlPlanes = counter();
  for (const zone of zones) count(controlPlanes, zone.online);
  const zoneIngresses = counter();
  for (const ingress of ingresses) count(zoneIngresses, ingress.online);

  const standard = counter();
  const gatewayBuiltin = counter();
  const gatewayDelegated = counter();
  // A service is online when at least one of its proxies is.
  const services = new Map<string, boolean>();
  for (const { resource, online } of dataplanes) {
    const networking = (resource.spec as DataplaneBody).networking;
    if (networking.gateway) {
      count(networking.gateway.type === "BUILTIN" ? gatewayBuiltin : gatewayDelegated, online);
      continue;
    }
    count(standard, online);
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

/** Kuma's `/global-insight`: counts across all meshes and zones. */
export function globalInsightRoute(store: ResourceStore): ApiRoute {
  return {
    method: "GET",
    path: "/global-insight",
    operationId: "getGlobalInsight",
    summary: "Counts of meshes, zones (online/offline), dataplanes, services and policies",
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
            dataplanes: { type: "object", properties: { standard: countsSchema, gatewayBuiltin: countsSchema, gatewayDelegated: countsSchema } },
            services: { type: "object", properties: { total: { type: "integer" }, internal: countsSchema } },
            policies: { type: "object", properties: { total: { type: "integer" } } },
          },
        },
      },
    },
    handler: async () => globalInsight(store),
  };
}
