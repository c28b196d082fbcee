import { SERVICE_TAG } from "@zonemesh/resources";
import { isHttpProtocol, type ServiceInfo } from "./catalog";
import type { GenerateInput } from "./input";

export interface Outbound {
  address: string;
  port: number;
  service: string;
  protocol: string;
  /** A service VIP, reached only through the transparent proxy's redirect. */
  vip: boolean;
}

/** Every VIP listens on this port for HTTP services (`http://<service>.mesh/`). */
export const httpVipPort = 80;

/**
 * The proxy's outbound listeners: with transparent proxying one per reachable service on its VIP (HTTP services on
 * port 80, others on the service's own inbound port, 80 when only remote zones have it), plus the Dataplane's explicit
 * `outbound[]` entries, which win on the same address and port.
 */
export function proxyOutbounds(input: GenerateInput, catalog: ReadonlyMap<string, ServiceInfo>): Outbound[] {
  const networking = input.dataplane.body.networking;
  const byAddress = new Map<string, Outbound>();
  const put = (outbound: Outbound) => byAddress.set(`${outbound.address}:${outbound.port}`, outbound);

  const transparent = networking.transparentProxying;
  if (transparent) {
    const reachable = transparent.reachableServices && new Set(transparent.reachableServices);
    for (const [service, vip] of input.vips) {
      const info = catalog.get(service);
      if (!info || (reachable && !reachable.has(service))) continue;
      put({ address: vip, port: isHttpProtocol(info.protocol) ? httpVipPort : (info.localPort ?? httpVipPort), service, protocol: info.protocol, vip: true });
    }
  }
  for (const outbound of networking.outbound ?? []) {
    const service = (outbound.tags?.[SERVICE_TAG] ?? outbound.service) as string;
    put({ address: outbound.address ?? "127.0.0.1", port: outbound.port, service, protocol: catalog.get(service)?.protocol ?? "tcp", vip: false });
  }
  return [...byAddress.values()];
}
