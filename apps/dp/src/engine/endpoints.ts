import type { ClusterLoadAssignment } from "@zonemesh/xds";
import type { ActiveHealth } from "./health-checker";
import { lbMetadataOf, type LbMetadata } from "./lb-metadata";
import { newOutlierState, type OutlierState } from "./outlier-detection";

/** One upstream host with the live state the load balancer and outlier detection keep about it. */
export interface UpstreamEndpoint {
  key: string;
  host: string;
  port: number;
  weight: number;
  priority: number;
  /** Its locality (region/zone/sub_zone) and that locality's weight, for locality weighted load balancing. */
  locality: string;
  localityWeight: number;
  healthy: boolean;
  lbMetadata: LbMetadata;
  activeRequests: number;
  outlier: OutlierState;
  activeHealth: ActiveHealth;
}

/**
 * Flattens a ClusterLoadAssignment, keeping the state of hosts already known (an EDS update must not reset
 * their counters). A host's weight is its own; its locality's weight counts only with locality weighted balancing.
 */
export function endpointsOf(assignment: ClusterLoadAssignment, known: ReadonlyMap<string, UpstreamEndpoint>): Map<string, UpstreamEndpoint> {
  const result = new Map<string, UpstreamEndpoint>();
  for (const locality of assignment.endpoints ?? []) {
    for (const lbEndpoint of locality.lb_endpoints ?? []) {
      const socket = lbEndpoint.endpoint?.address?.socket_address;
      if (!socket) continue;
      const key = `${socket.address}:${socket.port_value ?? 0}`;
      const previous = known.get(key);
      const weight = lbEndpoint.load_balancing_weight?.value ?? 1;
      const where = { locality: JSON.stringify([locality.locality?.region ?? "", locality.locality?.zone ?? "", locality.locality?.sub_zone ?? ""]), localityWeight: locality.load_balancing_weight?.value ?? 0 };
      const healthy = lbEndpoint.health_status === undefined || ["UNKNOWN", "HEALTHY", "DEGRADED"].includes(lbEndpoint.health_status);
      const lbMetadata = lbMetadataOf(lbEndpoint.metadata);
      result.set(
        key,
        previous
          ? { ...previous, weight, priority: locality.priority ?? 0, ...where, healthy, lbMetadata }
          : { key, host: socket.address, port: socket.port_value ?? 0, weight, priority: locality.priority ?? 0, ...where, healthy, lbMetadata, activeRequests: 0, outlier: newOutlierState(), activeHealth: { failing: false, successes: 0, failures: 0 } },
      );
    }
  }
  return result;
}
