import { SERVICE_TAG, PROTOCOL_TAG } from "@zonemesh/resources";
import { typeNames, typed, type Cluster, type Filter, type FilterChain, type HttpConnectionManager, type Listener, type TcpProxy } from "@zonemesh/xds";
import { accessLogs } from "./access-log";
import { callerTagsRemoved } from "./caller-tags";
import { isHttp2Protocol, isHttpProtocol } from "./catalog";
import { routerFilter, socketAddress } from "./envoy-values";
import { faultFilters } from "./fault-injection";
import type { GenerateInput, Warn } from "./input";
import { listenerName, localClusterName } from "./names";
import { httpRateLimitFilters, tcpRateLimitFilters } from "./rate-limit";
import type { InboundPolicies, ProxyPolicies } from "./resolved-policies";
import { maxStreamDuration, timeouts, type Timeouts } from "./timeouts";
import { inboundTransportSocket, isMtlsEnabled, isMtlsPermissive, tlsInspector } from "./tls";
import { trafficPermissionRules } from "./traffic-permission";
import { circuitBreakerSettings } from "./circuit-breaker";
import { http2ProtocolOptions } from "./clusters";


interface InboundContext {
  input: GenerateInput;
  name: string;
  service: string;
  localCluster: string;
  policies: InboundPolicies;
  timeouts: Timeouts;
  mtls: boolean;
  warn: Warn;
}

function httpFilters(context: InboundContext): Filter[] {
  const { input, policies, service, localCluster, warn } = context;
  const rbac = context.mtls ? [{ name: "envoy.filters.http.rbac", typed_config: typed(typeNames.httpRbac, trafficPermissionRules(input.mesh.name, policies.trafficPermission, policies.trafficPermissionBySpiffeId?.conf)) }] : [];
  const logs = accessLogs(policies.accessLog, { mesh: input.mesh.name, dataplane: input.dataplane.name, sourceService: "unknown", destinationService: service, http: true }, warn);
  if (!context.mtls && policies.faultInjectionBySpiffeId.length > 0) {
    warn(policies.faultInjectionBySpiffeId.flatMap((rule) => rule.origins), "MeshFaultInjection rules matching SPIFFE IDs need mTLS, where callers are verified, and were left out");
  }
  const manager: HttpConnectionManager = {
    stat_prefix: localCluster,
    route_config: {
      name: `inbound:${service}`,
      virtual_hosts: [{ name: service, domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: localCluster, timeout: context.timeouts.request, ...maxStreamDuration(context.timeouts.maxStreamDuration) } }] }],
      ...callerTagsRemoved,
    },
    http_filters: [...rbac, ...faultFilters(policies.faultInjection, context.mtls ? policies.faultInjectionBySpiffeId : []), ...httpRateLimitFilters(policies.rateLimit, warn), routerFilter],
    // With mTLS the application learns its caller's identity from x-forwarded-client-cert (URI SANs), as with Kuma.
    ...(context.mtls ? { forward_client_cert_details: "SANITIZE_SET" as const, set_current_client_cert_details: { uri: true } } : {}),
    stream_idle_timeout: context.timeouts.streamIdle,
    ...(context.timeouts.requestHeaders ? { request_headers_timeout: context.timeouts.requestHeaders } : {}),
    common_http_protocol_options: { idle_timeout: context.timeouts.idle, ...(context.timeouts.maxConnectionDuration ? { max_connection_duration: context.timeouts.maxConnectionDuration } : {}) },
    ...(logs.length > 0 ? { access_log: logs } : {}),
  };
  return [{ name: "envoy.filters.network.http_connection_manager", typed_config: typed(typeNames.httpConnectionManager, manager) }];
}

function tcpFilters(context: InboundContext): Filter[] {
  const { input, policies, service, localCluster, warn } = context;
  const rbac = context.mtls
    ? [{ name: "envoy.filters.network.rbac", typed_config: typed(typeNames.networkRbac, { stat_prefix: `${context.name}.`, ...trafficPermissionRules(input.mesh.name, policies.trafficPermission, policies.trafficPermissionBySpiffeId?.conf) }) }]
    : [];
  const logs = accessLogs(policies.accessLog, { mesh: input.mesh.name, dataplane: input.dataplane.name, sourceService: "unknown", destinationService: service, http: false }, warn);
  const proxy: TcpProxy = { stat_prefix: localCluster, cluster: localCluster, idle_timeout: context.timeouts.idle, ...(logs.length > 0 ? { access_log: logs } : {}) };
  return [...rbac, ...tcpRateLimitFilters(policies.rateLimit), { name: "envoy.filters.network.tcp_proxy", typed_config: typed(typeNames.tcpProxy, proxy) }];
}

/**
 * One listener per `inbound[]` (address:port) passing traffic to the application at `serviceAddress:servicePort`
 * through a `localhost:<servicePort>` cluster; with mTLS it terminates TLS and enforces MeshTrafficPermission.
 */
export function inboundListenersAndClusters(input: GenerateInput, policies: ProxyPolicies, warn: Warn): { listeners: Listener[]; clusters: Cluster[] } {
  const networking = input.dataplane.body.networking;
  const mtls = isMtlsEnabled(input.mesh);
  const listeners: Listener[] = [];
  const clusters = new Map<string, Cluster>();
  for (const inbound of networking.inbound ?? []) {
    const address = inbound.address ?? networking.address;
    const servicePort = inbound.servicePort ?? inbound.port;
    const protocol = inbound.tags[PROTOCOL_TAG] ?? "tcp";
    const inboundPolicies = policies.inbound({ port: inbound.port });
    if (!mtls && inboundPolicies.tls) warn(inboundPolicies.tls.origins, "MeshTLS applies to mesh mTLS, which this mesh does not enable, and was left out");
    const context: InboundContext = {
      input,
      name: listenerName.inbound(address, inbound.port),
      service: inbound.tags[SERVICE_TAG] as string,
      localCluster: localClusterName(servicePort),
      policies: inboundPolicies,
      timeouts: timeouts(inboundPolicies.timeout),
      mtls,
      warn,
    };
    const filters = isHttpProtocol(protocol) ? httpFilters(context) : tcpFilters(context);
    const tls = inboundPolicies.tls?.conf;
    const chain: FilterChain = { filters, ...(mtls ? { transport_socket: inboundTransportSocket(input.mesh.name, isHttpProtocol(protocol), tls) } : {}) };
    // Permissive: plaintext callers get the same filters. Their RBAC principals (certificates) match none, so only
    // permissions from the whole mesh (`any`) let them in, as with Kuma.
    const permissive = mtls && isMtlsPermissive(input.mesh, tls);
    listeners.push({
      name: context.name,
      address: socketAddress(address, inbound.port),
      traffic_direction: "INBOUND",
      ...(permissive
        ? { listener_filters: [tlsInspector], filter_chains: [{ filter_chain_match: { transport_protocol: "tls" }, ...chain }, { filter_chain_match: { transport_protocol: "raw_buffer" }, filters }] }
        : { filter_chains: [chain] }),
      // With transparent proxying iptables redirects to the inbound passthrough listener, which hands connections over.
      ...(networking.transparentProxying ? { bind_to_port: { value: false } } : {}),
    });
    clusters.set(context.localCluster, {
      name: context.localCluster,
      connect_timeout: context.timeouts.connect,
      load_assignment: { cluster_name: context.localCluster, endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(inbound.serviceAddress ?? "127.0.0.1", servicePort) } }] }] },
      ...(inboundPolicies.circuitBreaker ? circuitBreakerSettings(inboundPolicies.circuitBreaker.conf) : {}),
      ...(isHttp2Protocol(protocol) ? { typed_extension_protocol_options: http2ProtocolOptions() } : {}),
    });
  }
  return { listeners, clusters: [...clusters.values()] };
}
