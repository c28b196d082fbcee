import type { FastifyRequest } from "fastify";
import type { PolicyRef } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import type { AdsServer, SnapshotCache } from "@zonemesh/xds";
import { requireResource } from "../../api/inspect-routes";
import { notFound } from "../../api/problem";
import { pathParam, type ApiRoute, type JsonSchema } from "../../api/route";
import { withZoneIngressAliases } from "../../api/zone-ingress-aliases";
import { configDump, servingStatus } from "./config-dump";
import type { IngressProxies } from "./ingress-proxies";
import { policyWarningRoutes, policyWarnings, type PolicyWarning } from "./policy-warnings";
import { ingressNodeIdOf, nodeIdOf } from "./proxy-id";
import type { Reconciler } from "./reconciler";
import type { XdsMetrics } from "./xds-metrics";

export interface XdsRouteDeps {
  store: ResourceStore;
  ads: AdsServer;
  cache: SnapshotCache;
  reconciler: Reconciler;
  ingresses: IngressProxies;
  metrics: XdsMetrics;
  controlPlaneInstanceId: string;
}

const servedSchema: JsonSchema = {
  type: "object",
  properties: {
    nodeId: { type: "string" },
    connectedStreams: { type: "integer" },
    controlPlaneInstanceId: { type: "string" },
    generation: { type: "object" },
    status: { type: "object" },
    configs: { type: "array", items: { type: "object" } },
  },
};

/** A proxy connected to this zone CP, by its zone-local name. */
export type ServedProxy = { type: "Dataplane"; mesh: string; name: string } | { type: "ZoneIngress"; name: string };

/** What this control plane serves the proxy (the body of its `/xds` route); a 404 problem when it is not connected here. */
export function servedConfig(deps: XdsRouteDeps, proxy: ServedProxy): object {
  const { nodeId, who, generation } =
    proxy.type === "Dataplane"
      ? { nodeId: nodeIdOf(proxy), who: `dataplane "${proxy.name}" of mesh "${proxy.mesh}"`, generation: deps.reconciler.record(nodeIdOf(proxy)) }
      : { nodeId: ingressNodeIdOf(proxy.name), who: `zone ingress "${proxy.name}"`, generation: deps.ingresses.record(proxy.name) };
  const status = deps.ads.status(nodeId);
  if (!status) {
    throw notFound(`${who} is not connected to this control plane (instance ${deps.controlPlaneInstanceId}): there is no configuration being served to node "${nodeId}"`);
  }
  const snapshot = deps.cache.getSnapshot(nodeId);
  return {
    nodeId,
    connectedStreams: status.connectedStreams,
    controlPlaneInstanceId: deps.controlPlaneInstanceId,
    generation: generation ?? null,
    status: servingStatus(snapshot, status),
    ...configDump(snapshot),
  };
}

/** What the last generations of this zone's connected proxies reported against `policy`; a 404 problem when there is no such policy. */
export async function servedPolicyWarnings(deps: XdsRouteDeps, policy: PolicyRef): Promise<{ policy: PolicyRef; warnings: PolicyWarning[] }> {
  await requireResource(deps.store, policy.type, policy.mesh, policy.name);
  return { policy, warnings: policyWarnings(deps.reconciler.generations(), policy) };
}

/** `GET <path>`: what this control plane serves the proxy `proxyOf(request)` names. */
function servedRoute(deps: XdsRouteDeps, path: string, operationId: string, proxyKind: string, proxyOf: (request: FastifyRequest) => ServedProxy): ApiRoute {
  return {
    method: "GET",
    path,
    operationId,
    summary: `The xDS configuration this control plane currently serves a connected ${proxyKind}, and its ACK/NACK state`,
    description:
      "`configs` has the shape of Envoy's /config_dump (private keys redacted); `status` gives per discovery service the versions sent and acknowledged and the last NACK; `generation` the last generation's time, error and policy warnings.",
    tag: "Inspect",
    responses: {
      200: { description: "The served configuration", schema: servedSchema },
      404: { description: `The ${proxyKind} is not connected to this control plane` },
    },
    handler: async (request) => servedConfig(deps, proxyOf(request)),
  };
}

/** Introspection of what this zone CP serves each connected proxy and zone ingress, and its Prometheus metrics. Admin access, like the rest of the API. */
export function xdsRoutes(deps: XdsRouteDeps): ApiRoute[] {
  return [
    servedRoute(deps, "/meshes/{mesh}/dataplanes/{name}/xds", "getDataplaneXdsConfig", "proxy", (request) => ({
      type: "Dataplane",
      mesh: pathParam(request, "mesh"),
      name: pathParam(request, "name"),
    })),
    ...withZoneIngressAliases([
      servedRoute(deps, "/zoneingresses/{name}/xds", "getZoneIngressXdsConfig", "zone ingress", (request) => ({
        type: "ZoneIngress",
        name: pathParam(request, "name"),
      })),
    ]),
    ...policyWarningRoutes(
      "From the last generation of each proxy connected to this control plane: a proxy that is not connected is not counted. The reasons are the same as in each proxy's `/xds` `generation.warnings`.",
      {},
      (policy) => servedPolicyWarnings(deps, policy),
    ),
    {
      method: "GET",
      path: "/metrics",
      operationId: "getMetrics",
      summary: "Prometheus metrics of the control plane's xDS server",
      tag: "System",
      responses: { 200: { description: "Prometheus text exposition format", schema: { type: "string" }, contentType: "text/plain" } },
      handler: async (_request, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
    },
  ];
}
