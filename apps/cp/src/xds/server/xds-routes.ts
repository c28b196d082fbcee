import type { AdsServer, SnapshotCache } from "@zonemesh/xds";
import { notFound } from "../../api/problem";
import { pathParam, type ApiRoute } from "../../api/route";
import { configDump, servingStatus } from "./config-dump";
import { nodeIdOf } from "./proxy-id";
import type { Reconciler } from "./reconciler";
import type { XdsMetrics } from "./xds-metrics";

export interface XdsRouteDeps {
  ads: AdsServer;
  cache: SnapshotCache;
  reconciler: Reconciler;
  metrics: XdsMetrics;
  controlPlaneInstanceId: string;
}

/** Introspection of what this zone CP serves each connected proxy, and its Prometheus metrics. Admin access, like the rest of the API. */
export function xdsRoutes(deps: XdsRouteDeps): ApiRoute[] {
  return [
    {
      method: "GET",
      path: "/meshes/{mesh}/dataplanes/{name}/xds",
      operationId: "getDataplaneXdsConfig",
      summary: "The xDS configuration this control plane currently serves a connected proxy, and its ACK/NACK state",
      description:
        "`configs` has the shape of Envoy's /config_dump (private keys redacted); `status` gives per discovery service the versions sent and acknowledged and the last NACK; `generation` the last generation's time, error and policy warnings.",
      tag: "Inspect",
      responses: {
        200: {
          description: "The served configuration",
          schema: {
            type: "object",
            properties: {
              nodeId: { type: "string" },
              connectedStreams: { type: "integer" },
              controlPlaneInstanceId: { type: "string" },
              generation: { type: "object" },
              status: { type: "object" },
              configs: { type: "array", items: { type: "object" } },
            },
          },
        },
        404: { description: "The proxy is not connected to this control plane" },
      },
      handler: async (request) => {
        const proxy = { mesh: pathParam(request, "mesh"), name: pathParam(request, "name") };
        const nodeId = nodeIdOf(proxy);
        const status = deps.ads.status(nodeId);
        if (!status) {
          throw notFound(
            `dataplane "${proxy.name}" of mesh "${proxy.mesh}" is not connected to this control plane (instance ${deps.controlPlaneInstanceId}): there is no configuration being served to node "${nodeId}"`,
          );
        }
        const snapshot = deps.cache.getSnapshot(nodeId);
        return {
          nodeId,
          connectedStreams: status.connectedStreams,
          controlPlaneInstanceId: deps.controlPlaneInstanceId,
          generation: deps.reconciler.record(nodeId) ?? null,
          status: servingStatus(snapshot, status),
          ...configDump(snapshot),
        };
      },
    },
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
