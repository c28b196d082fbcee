import { typeNames, typed, type FilterChain, type Listener, type TcpProxy } from "@zonemesh/xds";
import { socketAddress } from "../envoy-values";
import { listenerName } from "../names";
import { timeouts } from "../timeouts";
import { tlsInspector } from "../tls";

export interface SniRoute {
  /** The server name (SNI) callers set, e.g. `backend{mesh=default}`. */
  sni: string;
  cluster: string;
}

function passthroughChain({ sni, cluster }: SniRoute): FilterChain {
  const proxy: TcpProxy = { stat_prefix: cluster, cluster, idle_timeout: timeouts(undefined).idle };
  return {
    filter_chain_match: { server_names: [sni], transport_protocol: "tls" },
    filters: [{ name: "envoy.filters.network.tcp_proxy", typed_config: typed(typeNames.tcpProxy, proxy) }],
  };
}

/**
 * The zone ingress listener: tls_inspector reads the SNI of the ClientHello, the matching chain forwards the bytes
 * untouched (the mesh mTLS stays end to end between the calling proxy and the destination proxy).
 */
export function sniListener(address: string, port: number, routes: SniRoute[]): Listener {
  return {
    name: listenerName.inbound(address, port),
    address: socketAddress(address, port),
    traffic_direction: "INBOUND",
    listener_filters: [tlsInspector],
    filter_chains: routes.map(passthroughChain),
  };
}
