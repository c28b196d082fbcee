import type { FastifyRequest } from "fastify";
import type { AdsServer, SnapshotCache } from "@zonemesh/xds";
import { notFound } from "../../api/problem";
import { pathParam, type ApiRoute, type JsonSchema } from "../../api/route";
import { withZoneIngressAliases } from "../../api/zone-ingress-aliases";
import { configDump, servingStatus } from "./config-dump";
import type { IngressProxies } from "./ingress-proxies";
import { ingressNodeIdOf, nodeIdOf } from "./proxy-id";
import type { GenerationRecord, Reconciler } from "./reconciler";
import type { XdsMetrics } from "./xds-metrics";

export interface XdsRouteDeps {
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

interface Served {
  nodeId: string;
  /** Names the proxy in the 404 when it is not connected here. */
  who: string;
  generation: GenerationRecord | undefined;
}

/** `GET <path>`: what this control plane serves the proxy `served(request)` names. */
function servedRoute(deps: XdsRouteDeps, path: string, operationId: string, proxyKind: string, served: (request: FastifyRequest) => Served): ApiRoute {
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
    handler: async (request) => {
      const { nodeId, who, generation } = served(request);
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
    },
  };
}

/** Introspection of what this zone CP serves each connected proxy and zone ingress, and its Prometheus metrics. Admin access, like the rest of the API. */
export function xdsRoutes(deps: XdsRouteDeps): ApiRoute[] {
  return [
    servedRoute(deps, "/meshes/{mesh}/dataplanes/{name}/xds", "getDataplaneXdsConfig", "proxy", (request) => {
      const proxy = { mesh: pathParam(request, "mesh"), name: pathParam(request, "name") };
      const nodeId = nodeIdOf(proxy);
      return { nodeId, who: `dataplane "${proxy.name}" of mesh "${proxy.mesh}"`, generation: deps.reconciler.record(nodeId) };
    }),
    ...withZoneIngressAliases([
      servedRoute(deps, "/zoneingresses/{name}/xds", "getZoneIngressXdsConfig", "zone ingress", (request) => {
        const name = pathParam(request, "name");
        return { nodeId: ingressNodeIdOf(name), who: `zone ingress "${name}"`, generation: deps.ingresses.record(name) };
      }),
    ]),
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
