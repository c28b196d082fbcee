import { typeNames, typed, type Cluster, type Listener, type TcpProxy } from "@zonemesh/xds";
import type { DataplaneBody, MeshBody } from "@zonemesh/resources";
import { socketAddress } from "./envoy-values";
import { passthroughName } from "./names";

/** Kuma's default iptables redirect ports. */
const defaultRedirectPortOutbound = 15001;
const defaultRedirectPortInbound = 15006;

function redirectListener(name: string, port: number, direction: "INBOUND" | "OUTBOUND"): Listener {
  const proxy: TcpProxy = { stat_prefix: name, cluster: name };
  return {
    name,
    address: socketAddress("0.0.0.0", port),
    traffic_direction: direction,
    // Hands each redirected connection to the listener of its original destination, if there is one.
    use_original_dst: { value: true },
    filter_chains: [{ filters: [{ name: "envoy.filters.network.tcp_proxy", typed_config: typed(typeNames.tcpProxy, proxy) }] }],
  };
}

const originalDestinationCluster = (name: string): Cluster => ({ name, type: "ORIGINAL_DST", lb_policy: "CLUSTER_PROVIDED", connect_timeout: { seconds: 5 } });

/**
 * With transparent proxying, the listeners iptables redirects to: outbound traffic to an address without its own listener
 * passes through to its original destination, unless the mesh disables passthrough: then nothing listens on the outbound
 * redirect port and such connections are refused.
 */
export function transparentProxyResources(networking: DataplaneBody["networking"], mesh: MeshBody): { listeners: Listener[]; clusters: Cluster[] } {
  const transparent = networking.transparentProxying;
  if (!transparent) return { listeners: [], clusters: [] };
  const passthrough = mesh.networking?.outbound?.passthrough !== false;
  const listeners = [
    redirectListener(passthroughName.inbound, transparent.redirectPortInbound ?? defaultRedirectPortInbound, "INBOUND"),
    ...(passthrough ? [redirectListener(passthroughName.outbound, transparent.redirectPortOutbound ?? defaultRedirectPortOutbound, "OUTBOUND")] : []),
  ];
  const clusters = [originalDestinationCluster(passthroughName.inbound), ...(passthrough ? [originalDestinationCluster(passthroughName.outbound)] : [])];
  return { listeners, clusters };
}
