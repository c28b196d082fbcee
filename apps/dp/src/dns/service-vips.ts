import type { Listener } from "@zonemesh/xds";
import { bindAddress, isVip } from "../engine/listener-address";

/**
 * `<service>.mesh` -> the local address of the service's outbound listener, for listeners on a VIP. The CP names
 * an outbound listener after its address only; the service is its filter's stat_prefix (HCM or TCP proxy), as
 * generate/outbound-listeners.ts writes it.
 */
export function serviceVips(listeners: readonly Listener[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const listener of listeners) {
    const address = listener.address?.socket_address?.address;
    if (listener.traffic_direction !== "OUTBOUND" || !address || !isVip(address)) continue;
    const filter = listener.filter_chains?.[0]?.filters?.at(-1)?.typed_config as { stat_prefix?: string } | undefined;
    if (filter?.stat_prefix) names.set(`${filter.stat_prefix.toLowerCase()}.mesh`, bindAddress(address));
  }
  return names;
}
