import { SERVICE_TAG } from "@zonemesh/resources";
import { typeNames, typed, type Filter, type HttpConnectionManager, type Listener, type RouteConfiguration, type TcpProxy, type Typed } from "@zonemesh/xds";
import { accessLogs } from "./access-log";
import { isHttpProtocol } from "./catalog";
import { adsConfigSource, routerFilter, socketAddress } from "./envoy-values";
import type { GenerateInput } from "./input";
import { listenerName } from "./names";
import type { Outbound } from "./outbounds";
import type { OutboundCache } from "./outbound-cache";
import type { ProxyPolicies } from "./resolved-policies";
import { backendClusters, type RouteContext } from "./backend-refs";
import { outboundRouteConfiguration } from "./routes";
import { timeouts } from "./timeouts";

function tcpProxy(outbound: Outbound, input: GenerateInput, policies: ProxyPolicies, context: RouteContext, sourceService: string): Filter {
  const outboundPolicies = policies.outbound(outbound.service);
  if (outboundPolicies.httpRoutes) {
    context.warn(outboundPolicies.httpRoutes.origins, `${outbound.service} is not an HTTP service (kuma.io/protocol ${outbound.protocol}): MeshHTTPRoute does not apply to it`);
  }
  const route = outboundPolicies.tcpRoute;
  const routed = route ? backendClusters(route.conf.default.backendRefs, route.origins, context) : [];
  const clusters = routed.length > 0 ? routed : [{ name: context.clusters.ref(outbound.service), weight: 1 }];
  const logs = accessLogs(outboundPolicies.accessLog, { mesh: input.mesh.name, dataplane: input.dataplane.name, sourceService, destinationService: outbound.service, http: false }, context.warn);
  const maxConnectAttempts = outboundPolicies.retry?.conf.tcp?.maxConnectAttempt;
  const proxy: TcpProxy = {
    stat_prefix: outbound.service,
    ...(clusters.length === 1 ? { cluster: (clusters[0] as { name: string }).name } : { weighted_clusters: { clusters } }),
    idle_timeout: timeouts(outboundPolicies.timeout).idle,
    ...(maxConnectAttempts ? { max_connect_attempts: { value: maxConnectAttempts } } : {}),
    ...(logs.length > 0 ? { access_log: logs } : {}),
  };
  return { name: "envoy.filters.network.tcp_proxy", typed_config: typed(typeNames.tcpProxy, proxy) };
}

function httpConnectionManager(name: string, outbound: Outbound, input: GenerateInput, policies: ProxyPolicies, context: RouteContext, sourceService: string): Typed<HttpConnectionManager> {
  const outboundPolicies = policies.outbound(outbound.service);
  const logs = accessLogs(outboundPolicies.accessLog, { mesh: input.mesh.name, dataplane: input.dataplane.name, sourceService, destinationService: outbound.service, http: true }, context.warn);
  const requestHeaders = timeouts(outboundPolicies.timeout).requestHeaders;
  const manager: HttpConnectionManager = {
    stat_prefix: outbound.service,
    rds: { config_source: adsConfigSource, route_config_name: name },
    http_filters: [routerFilter],
    ...(requestHeaders ? { request_headers_timeout: requestHeaders } : {}),
    ...(logs.length > 0 ? { access_log: logs } : {}),
  };
  return typed(typeNames.httpConnectionManager, manager);
}

function outboundResources(outbound: Outbound, input: GenerateInput, policies: ProxyPolicies, context: RouteContext, sourceService: string): { listener: Listener; route?: RouteConfiguration } {
  const socket = outbound.socket;
  const name = socket ? listenerName.outbound(socket.address, socket.port) : outbound.service;
  const http = isHttpProtocol(outbound.protocol);
  const route = http ? outboundRouteConfiguration(name, outbound, policies.outbound(outbound.service), context) : undefined;
  if (!socket) return { listener: { name, api_listener: { api_listener: httpConnectionManager(name, outbound, input, policies, context, sourceService) } }, route };
  const filter = http
    ? { name: "envoy.filters.network.http_connection_manager", typed_config: httpConnectionManager(name, outbound, input, policies, context, sourceService) }
    : tcpProxy(outbound, input, policies, context, sourceService);
  const listener: Listener = {
    name,
    address: socketAddress(socket.address, socket.port),
    traffic_direction: "OUTBOUND",
    filter_chains: [{ filters: [filter] }],
    ...(socket.vip ? { bind_to_port: { value: false } } : {}),
  };
  return { listener, route };
}

/**
 * Outbound listeners and their routes. A socket listener holds a connection manager with RDS named like the listener
 * for HTTP, a TCP proxy otherwise; a proxyless gRPC client gets an api_listener named after the service instead.
 * Proxies with the same outbound policies share what is built for the same outbound through `cache`.
 */
export function outboundListenersAndRoutes(
  outbounds: Outbound[],
  input: GenerateInput,
  policies: ProxyPolicies,
  context: RouteContext,
  cache: OutboundCache,
): { listeners: Listener[]; routes: RouteConfiguration[] } {
  const sourceService = input.dataplane.body.networking.inbound?.[0]?.tags[SERVICE_TAG] ?? input.dataplane.name;
  const listeners: Listener[] = [];
  const routes: RouteConfiguration[] = [];
  for (const outbound of outbounds) {
    const socket = outbound.socket;
    // Only access logs name the calling service, and their tcp backends the proxy itself (its zonemesh-dp's socket).
    const accessLog = policies.outbound(outbound.service).accessLog;
    const caller = accessLog ? `${sourceService}/${accessLog.conf.backends?.some((backend) => backend.tcp) ? input.dataplane.name : ""}` : "";
    const key = [policies.outboundKey, outbound.service, outbound.protocol, socket ? `${socket.address}:${socket.port}:${socket.vip}` : "api", caller].join("|");
    const built = cache.memo(key, context, (recording) => outboundResources(outbound, input, policies, recording, sourceService));
    listeners.push(built.listener);
    if (built.route) routes.push(built.route);
  }
  return { listeners, routes };
}
