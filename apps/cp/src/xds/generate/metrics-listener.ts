import type { DataplaneBody, MeshBody } from "@zonemesh/resources";
import { typeNames, typed, type Cluster, type HttpConnectionManager, type Listener } from "@zonemesh/xds";
import { socketAddress } from "./envoy-values";
import type { GenerateInput, Warn } from "./input";
import { inboundTransportSocket, isMtlsEnabled } from "./tls";

type PrometheusConf = NonNullable<NonNullable<DataplaneBody["metrics"]>["conf"]>;

const adminCluster = "_kuma:envoy:admin";
/** Kuma's defaults for a prometheus backend. */
const defaultPort = 5670;
const defaultPath = "/metrics";

const none = { listeners: [], clusters: [] };

/** The mesh's enabled prometheus backend, with the Dataplane's own `metrics.conf` over it (as Kuma merges them). */
function prometheusConfOf(mesh: MeshBody, dataplane: DataplaneBody): PrometheusConf | undefined {
  const backend = mesh.metrics?.backends?.find((candidate) => candidate.name === mesh.metrics?.enabledBackend);
  if (!backend) return undefined;
  return { ...backend.conf, ...dataplane.metrics?.conf };
}

/**
 * Kuma's Mesh `metrics` (prometheus backend): a listener on the dataplane's address at the backend's port, whose
 * `path` serves the proxy's stats in Prometheus format from its admin endpoint (only that path: the admin endpoint
 * itself stays on 127.0.0.1). With the mesh's mTLS on, scrapers present a mesh certificate unless `skipMTLS` or
 * `tls.mode: disabled` says otherwise.
 */
export function metricsResources(input: GenerateInput, warn: Warn): { listeners: Listener[]; clusters: Cluster[] } {
  const conf = input.proxyless ? undefined : prometheusConfOf(input.mesh, input.dataplane.body);
  if (!conf) return none;
  const meshRef = [{ type: "Mesh", mesh: "", name: input.mesh.name }];
  if (conf.aggregate?.length) warn(meshRef, "metrics: aggregate (application metrics endpoints) is not supported and was left out");
  if (conf.envoy?.filterRegex !== undefined || conf.envoy?.usedOnly !== undefined) warn(meshRef, "metrics: envoy.filterRegex and envoy.usedOnly are not supported: every stat is exposed");
  const tlsMode = conf.tls?.mode ?? (conf.skipMTLS ? "disabled" : "activeMTLSBackend");
  if (tlsMode === "providedTLS") {
    warn(meshRef, "metrics: tls.mode providedTLS is not supported, so the metrics endpoint was not exposed");
    return none;
  }
  if (input.adminPort === undefined) {
    warn(meshRef, "metrics: the proxy reports no admin port (node metadata dataplane.admin.port), so its metrics cannot be exposed");
    return none;
  }
  const manager: HttpConnectionManager = {
    stat_prefix: "_kuma_metrics_prometheus",
    route_config: {
      name: "_kuma:metrics:prometheus",
      virtual_hosts: [{ name: "metrics", domains: ["*"], routes: [{ match: { path: conf.path ?? defaultPath }, route: { cluster: adminCluster, prefix_rewrite: "/stats/prometheus" } }] }],
    },
    http_filters: [{ name: "envoy.filters.http.router", typed_config: typed(typeNames.router, {}) }],
  };
  const secured = tlsMode === "activeMTLSBackend" && isMtlsEnabled(input.mesh);
  const networking = input.dataplane.body.networking;
  return {
    listeners: [
      {
        name: `_kuma:metrics:prometheus:${input.mesh.metrics?.enabledBackend}`,
        address: socketAddress(networking.address, conf.port ?? defaultPort),
        traffic_direction: "INBOUND",
        filter_chains: [
          {
            filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: typed(typeNames.httpConnectionManager, manager) }],
            ...(secured ? { transport_socket: inboundTransportSocket(input.mesh.name, true) } : {}),
          },
        ],
      },
    ],
    clusters: [{ name: adminCluster, connect_timeout: { seconds: 1 }, load_assignment: { cluster_name: adminCluster, endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress("127.0.0.1", input.adminPort) } }] }] } }],
  };
}
