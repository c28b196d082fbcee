import type { DataplaneBody, MeshBody } from "@zonemesh/resources";
import { typeNames, typed, type Cluster, type HttpConnectionManager, type Listener } from "@zonemesh/xds";
import { routerFilter, socketAddress } from "./envoy-values";
import type { GenerateInput, Warn } from "./input";
import type { MetricConf } from "./policy-confs";
import type { Merged } from "./resolved-policies";
import { inboundTransportSocket, isMtlsEnabled } from "./tls";

type PrometheusConf = NonNullable<NonNullable<DataplaneBody["metrics"]>["conf"]>;

const adminCluster = "_kuma:envoy:admin";
/** Kuma's defaults for a prometheus backend. */
const defaultPort = 5670;
const defaultPath = "/metrics";

const none = { listeners: [], clusters: [] };

/** Warnings about the Mesh's own fields name the Mesh. */
const meshRef = (input: GenerateInput) => [{ type: "Mesh", mesh: "", name: input.mesh.name }];

/** The mesh's enabled prometheus backend, with the Dataplane's own `metrics.conf` over it (as Kuma merges them). */
function prometheusConfOf(mesh: MeshBody, dataplane: DataplaneBody): PrometheusConf | undefined {
  const backend = mesh.metrics?.backends?.find((candidate) => candidate.name === mesh.metrics?.enabledBackend);
  if (!backend) return undefined;
  return { ...backend.conf, ...dataplane.metrics?.conf };
}

/** One place the proxy's stats are served for Prometheus. */
interface PrometheusEndpoint {
  name: string;
  port: number;
  path: string;
  tls: "Disabled" | "ActiveMTLSBackend" | "ProvidedTLS";
}

/** The Mesh's legacy `metrics` backend, as a Prometheus endpoint; on an mTLS mesh it takes mesh mTLS unless skipMTLS. */
function meshMetricsEndpoints(input: GenerateInput, warn: Warn): PrometheusEndpoint[] {
  const conf = prometheusConfOf(input.mesh, input.dataplane.body);
  if (!conf) return [];
  if (conf.aggregate?.length) warn(meshRef(input), "metrics: aggregate (application metrics endpoints) is not supported and was left out");
  if (conf.envoy?.filterRegex !== undefined || conf.envoy?.usedOnly !== undefined) warn(meshRef(input), "metrics: envoy.filterRegex and envoy.usedOnly are not supported: every stat is exposed");
  const tlsModes = { disabled: "Disabled", activeMTLSBackend: "ActiveMTLSBackend", providedTLS: "ProvidedTLS" } as const;
  const tls = conf.tls?.mode ? tlsModes[conf.tls.mode] : conf.skipMTLS ? "Disabled" : "ActiveMTLSBackend";
  return [{ name: `_kuma:metrics:prometheus:${input.mesh.metrics?.enabledBackend}`, port: conf.port ?? defaultPort, path: conf.path ?? defaultPath, tls }];
}

/** MeshMetric's Prometheus backends (plaintext unless tls.mode says otherwise); what is not supported is warned about. */
function meshMetricEndpoints(metric: Merged<MetricConf>, warn: Warn): PrometheusEndpoint[] {
  const { sidecar, applications, backends = [] } = metric.conf;
  if (sidecar) warn(metric.origins, "MeshMetric sidecar (profiles, include/exclude, includeUnused, regex) is not supported: every stat is exposed");
  if (applications?.length) warn(metric.origins, "MeshMetric applications (their metrics endpoints) are not supported and were left out");
  if (backends.some((backend) => backend.type === "OpenTelemetry")) warn(metric.origins, "MeshMetric OpenTelemetry backends are not supported and were left out");
  return backends.flatMap((backend) =>
    backend.type === "Prometheus"
      ? [{ name: `_kuma:metrics:prometheus:${backend.prometheus.clientId ?? "default"}`, port: backend.prometheus.port ?? defaultPort, path: backend.prometheus.path ?? defaultPath, tls: backend.prometheus.tls?.mode ?? "Disabled" }]
      : [],
  );
}

/**
 * Where the proxy serves its stats for Prometheus: MeshMetric's Prometheus backends when a MeshMetric selects it, else
 * the Mesh's legacy `metrics` backend. Each is a listener on the dataplane's address whose `path` (only that path:
 * the admin endpoint itself stays on 127.0.0.1) is routed to the admin endpoint's `/stats/prometheus`, over mesh mTLS
 * for ActiveMTLSBackend.
 */
export function metricsResources(input: GenerateInput, metric: Merged<MetricConf> | undefined, warn: Warn): { listeners: Listener[]; clusters: Cluster[] } {
  if (input.proxyless) return none;
  const origins = metric?.origins ?? meshRef(input);
  const taken = new Set<string>();
  const endpoints = (metric ? meshMetricEndpoints(metric, warn) : meshMetricsEndpoints(input, warn)).filter((endpoint) => {
    if (endpoint.tls === "ProvidedTLS") warn(origins, "metrics: tls mode ProvidedTLS is not supported, so that endpoint was not exposed");
    // One listener per clientId and per port: a second backend with either again would be refused by the proxy.
    const clash = [endpoint.name, `:${endpoint.port}`].some((key) => taken.has(key));
    if (clash) warn(origins, `metrics: ${endpoint.name} on port ${endpoint.port} repeats the clientId or port of another backend and was left out`);
    if (endpoint.tls === "ProvidedTLS" || clash) return false;
    taken.add(endpoint.name).add(`:${endpoint.port}`);
    return true;
  });
  if (endpoints.length === 0) return none;
  if (input.adminPort === undefined) {
    warn(origins, "metrics: the proxy reports no admin port (node metadata dataplane.admin.port), so its metrics cannot be exposed");
    return none;
  }
  const address = input.dataplane.body.networking.address;
  const listeners = endpoints.map((endpoint): Listener => {
    const manager: HttpConnectionManager = {
      stat_prefix: "_kuma_metrics_prometheus",
      route_config: {
        name: endpoint.name,
        virtual_hosts: [{ name: "metrics", domains: ["*"], routes: [{ match: { path: endpoint.path }, route: { cluster: adminCluster, prefix_rewrite: "/stats/prometheus" } }] }],
      },
      http_filters: [routerFilter],
    };
    const secured = endpoint.tls === "ActiveMTLSBackend" && isMtlsEnabled(input.mesh);
    return {
      name: endpoint.name,
      address: socketAddress(address, endpoint.port),
      traffic_direction: "INBOUND",
      filter_chains: [
        {
          filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: typed(typeNames.httpConnectionManager, manager) }],
          ...(secured ? { transport_socket: inboundTransportSocket(input.mesh.name, true) } : {}),
        },
      ],
    };
  });
  return {
    listeners,
    clusters: [{ name: adminCluster, connect_timeout: { seconds: 1 }, load_assignment: { cluster_name: adminCluster, endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress("127.0.0.1", input.adminPort) } }] }] } }],
  };
}
