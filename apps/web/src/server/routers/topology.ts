import { z } from "zod";
import { inboundsSelectedBy, SERVICE_TAG, spiffeIdMatch, type MeshBody, type TargetRef } from "@zonemesh/resources";
import { buildServiceGraph, dataplaneSelectors, selectorKey, type ServiceGraph, type TopologyPolicy } from "../../lib/topology/build-topology";
import { DEFAULT_NODE_LIMIT, topologyView } from "../../lib/topology/topology-view";
import { apiPath, dataplaneOverviewSchema, listAll, serviceInsightSchema, wireResourceSchema, zoneOverviewSchema, type CpClient } from "../cp-client";
import { isConnected } from "../dataplane-status";
import { keepRecent } from "../keep-recent";
import { publicProcedure, router } from "../trpc";

const EDGE_POLICY_TYPES = [
  { type: "MeshTrafficPermission", plural: "meshtrafficpermissions" },
  { type: "MeshHTTPRoute", plural: "meshhttproutes" },
  { type: "MeshTCPRoute", plural: "meshtcproutes" },
] as const;

// Only the fields that make edges: the CP validated the policies when they were stored, and checking all of a
// thousand policies again against their full schemas was most of this call's time.
const edgeTargetRef = z.looseObject({
  kind: z.string(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  sectionName: z.string().optional(),
});
const edgePolicySchema = z.looseObject({
  type: z.enum(EDGE_POLICY_TYPES.map(({ type }) => type)),
  name: z.string(),
  spec: z.looseObject({
    targetRef: edgeTargetRef.optional(),
    from: z.array(z.looseObject({ targetRef: edgeTargetRef, default: z.looseObject({ action: z.string() }) })).optional(),
    rules: z
      .array(z.looseObject({ default: z.looseObject({ allow: z.array(spiffeIdMatch).optional(), deny: z.array(spiffeIdMatch).optional(), allowWithShadowDeny: z.array(spiffeIdMatch).optional() }) }))
      .optional(),
    to: z
      .array(
        z.looseObject({
          targetRef: edgeTargetRef,
          rules: z.array(z.looseObject({ default: z.looseObject({ backendRefs: z.array(z.looseObject({ name: z.string().optional() })).optional() }) })).default([]),
        }),
      )
      .optional(),
  }),
});

/**
 * The services each MeshSubset or Dataplane targetRef selects, by the shared matcher over the dataplanes the CP's
 * index narrows them to (a MeshSubset's first tag, a Dataplane ref's labels or name).
 */
async function resolveSelectors(cp: CpClient, mesh: string, refs: TargetRef[]) {
  const resolved = await Promise.all(
    refs.map(async (ref) => {
      const [firstTag] = Object.entries(ref.kind === "MeshSubset" ? (ref.tags ?? {}) : {});
      const overviews = await listAll(cp, `${apiPath("meshes", mesh)}/dataplanes+insights`, dataplaneOverviewSchema, {
        ...(ref.kind === "Dataplane" && ref.labels ? { labels: ref.labels } : {}),
        ...(ref.kind === "Dataplane" && ref.name ? { name: ref.name } : {}),
        filters: { tag: firstTag ? `${firstTag[0]}:${firstTag[1]}` : undefined },
      });
      const services = overviews
        .flatMap((overview) => inboundsSelectedBy(ref, { type: "Dataplane", mesh, name: overview.name, labels: overview.labels, body: overview.dataplane }))
        .map((inbound) => inbound.tags[SERVICE_TAG])
        .filter((service): service is string => Boolean(service));
      return [selectorKey(ref), [...new Set(services)]] as [string, string[]];
    }),
  );
  return new Map(resolved);
}

/** The last service graph of each mesh (by CP and mesh) and what it was built from; graphs are never mutated. */
const builtGraphs = new Map<string, { from: unknown[]; graph: ServiceGraph }>();
const GRAPHS_KEPT = 16;

/** The graph built last time from the same values (compared with ===), else a new one. */
function cachedGraph(key: string, from: unknown[], build: () => ServiceGraph): ServiceGraph {
  const kept = builtGraphs.get(key);
  if (kept && kept.from.length === from.length && kept.from.every((value, i) => value === from[i])) return kept.graph;
  const graph = build();
  keepRecent(builtGraphs, key, { from, graph }, GRAPHS_KEPT);
  return graph;
}

export const topologyGraphInput = z.object({
  mesh: z.string().min(1),
  zone: z.string().optional(),
  /** Services whose name contains this, with their neighbours. */
  search: z.string().optional(),
  /** A service node id (`svc:<zone>/<service>`): it and its neighbours. */
  focus: z.string().optional(),
  /** true: one node per zone; false: service nodes; omitted: collapsed when more than `limit` nodes would show unfiltered. */
  collapse: z.boolean().optional(),
  /** Most service nodes returned; the rest are counted in `hiddenServiceNodes`. */
  limit: z.number().int().min(1).max(2000).default(DEFAULT_NODE_LIMIT),
});

export const topologyRouter = router({
  /**
   * The service graph of one mesh as the view needs it: zones, services per zone with dataplane health (the CP's
   * service insights), permission and route edges; collapsed by zone or narrowed by zone, search or focus.
   */
  graph: publicProcedure.input(topologyGraphInput).query(async ({ ctx, input }) => {
    const meshPath = apiPath("meshes", input.mesh);
    const [mesh, zones, services, ...policyLists] = await Promise.all([
      ctx.cp.request({ path: meshPath, schema: wireResourceSchema }),
      listAll(ctx.cp, "/zones+insights", zoneOverviewSchema),
      // Both change rarely: while they have not, the CP answers 304 and the answer parsed last time is reused.
      listAll(ctx.cp, `${meshPath}/service-insights`, serviceInsightSchema, { conditional: true }),
      ...EDGE_POLICY_TYPES.map(({ plural }) => listAll(ctx.cp, `${meshPath}/${plural}`, edgePolicySchema, { conditional: true })),
    ]);
    const policies = policyLists.flat().map((policy) => ({ type: policy.type, name: policy.name, body: { spec: policy.spec } }) as TopologyPolicy);
    const mtls = Boolean((mesh.body as MeshBody).mtls?.enabledBackend);
    const zoneStates = zones.map((zone) => ({ name: zone.name, online: isConnected(zone.zoneInsight) }));
    const selected = await resolveSelectors(ctx.cp, input.mesh, dataplaneSelectors(policies));
    // The lists read conditionally are the same arrays while the CP answered 304 (listAll).
    const builtFrom = [mtls, JSON.stringify(zoneStates), JSON.stringify([...selected]), services, ...policyLists];
    const graph = cachedGraph(`${ctx.cp.baseUrl} ${input.mesh}`, builtFrom, () =>
      buildServiceGraph({
        mesh: input.mesh,
        mtls,
        zones: zoneStates,
        services: services.map((service) => ({
          name: service.name,
          zones: service.zones.map((zone) => ({ zone: zone.name || null, healthy: zone.dataplanes.online, total: zone.dataplanes.total })),
        })),
        policies,
        selected,
      }),
    );
    return topologyView(graph, input);
  }),
});
