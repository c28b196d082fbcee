import { SERVICE_TAG } from "@zonemesh/resources";
import { isHttpProtocol, type ServiceInfo } from "./catalog";
import type { GenerateInput } from "./input";

export interface Outbound {
  service: string;
  protocol: string;
  /** Where the proxy listens for it; absent for a proxyless gRPC client, which gets an api_listener named after the service. */
  socket?: {
    address: string;
    port: number;
    /** A service VIP, reached only through the transparent proxy's redirect. */
    vip: boolean;
  };
}

/** Every VIP listens on this port for HTTP services (`http://<service>.mesh/`). */
export const httpVipPort = 80;

/**
 * The proxy's outbounds. With transparent proxying one per reachable service on its VIP (HTTP services on port 80,
 * others on the service's own inbound port, 80 when only remote zones have it), plus the Dataplane's explicit
 * `outbound[]` entries, which win on the same address and port. A proxyless gRPC client gets every HTTP service of
 * the mesh (not ExternalServices: their clusters are DNS ones, which gRPC's xDS client does not take).
 */
export function proxyOutbounds(input: GenerateInput, catalog: ReadonlyMap<string, ServiceInfo>): Outbound[] {
  if (input.proxyless) {
    return [...catalog.values()].filter((info) => isHttpProtocol(info.protocol) && !info.external).map((info) => ({ service: info.name, protocol: info.protocol }));
  }
  const networking = input.dataplane.body.networking;
  const byAddress = new Map<string, Outbound>();
  const put = (outbound: Outbound & { socket: NonNullable<Outbound["socket"]> }) => byAddress.set(`${outbound.socket.address}:${outbound.socket.port}`, outbound);

  const transparent = networking.transparentProxying;
  if (transparent) {
    const reachable = transparent.reachableServices && new Set(transparent.reachableServices);
    for (const [service, vip] of input.vips) {
      const info = catalog.get(service);
      if (!info || (reachable && !reachable.has(service))) continue;
      const port = isHttpProtocol(info.protocol) ? httpVipPort : (info.localPort ?? httpVipPort);
      put({ service, protocol: info.protocol, socket: { address: vip, port, vip: true } });
    }
  }
  for (const outbound of networking.outbound ?? []) {
    const service = (outbound.tags?.[SERVICE_TAG] ?? outbound.service) as string;
    put({ service, protocol: catalog.get(service)?.protocol ?? "tcp", socket: { address: outbound.address ?? "127.0.0.1", port: outbound.port, vip: false } });
  }
  return [...byAddress.values()];
}
