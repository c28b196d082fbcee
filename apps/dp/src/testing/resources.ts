import { typeNames, typed, type Cluster, type ClusterLoadAssignment, type Filter, type HttpConnectionManager, type HttpFilter, type Listener, type Route, type RouteConfiguration, type TransportSocket } from "@zonemesh/xds";

const ads = { ads: {}, resource_api_version: "V3" as const };
const router: HttpFilter = { name: "envoy.filters.http.router", typed_config: typed(typeNames.router, {}) };

export function listener(name: string, port: number, filters: Filter[], transportSocket?: TransportSocket): Listener {
  return {
    name,
    address: { socket_address: { address: "127.0.0.1", port_value: port } },
    filter_chains: [{ filters, ...(transportSocket ? { transport_socket: transportSocket } : {}) }],
  };
}

export function httpManager(routeName: string, httpFilters: HttpFilter[] = [], extra: Partial<HttpConnectionManager> = {}): Filter {
  return {
    name: "envoy.filters.network.http_connection_manager",
    typed_config: typed(typeNames.httpConnectionManager, { stat_prefix: routeName, rds: { config_source: ads, route_config_name: routeName }, http_filters: [...httpFilters, router], ...extra }),
  };
}

export function tcpProxy(cluster: string): Filter {
  return { name: "envoy.filters.network.tcp_proxy", typed_config: typed(typeNames.tcpProxy, { stat_prefix: cluster, cluster }) };
}

export function edsCluster(name: string, extra: Partial<Cluster> = {}): Cluster {
  return { name, type: "EDS", eds_cluster_config: { eds_config: ads }, connect_timeout: { seconds: 1 }, ...extra };
}

/** A STRICT_DNS cluster of one endpoint, `address` a hostname or an IP, as Kuma's ProvidedEndpointCluster makes for an external service. */
export function dnsCluster(name: string, address: string, port: number, extra: Partial<Cluster> = {}): Cluster {
  return {
    name,
    type: "STRICT_DNS",
    dns_lookup_family: "V4_ONLY",
    connect_timeout: { seconds: 1 },
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }] },
    ...extra,
  };
}

export function assignment(clusterName: string, ports: number[]): ClusterLoadAssignment {
  return {
    cluster_name: clusterName,
    endpoints: [{ lb_endpoints: ports.map((port) => ({ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: port } } } })), load_balancing_weight: { value: 1 } }],
  };
}

export function routeConfig(name: string, routes: Route[]): RouteConfiguration {
  return { name, virtual_hosts: [{ name, domains: ["*"], routes }] };
}
