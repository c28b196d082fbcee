import type { ClusterLoadAssignment, LbEndpoint, LocalityLbEndpoints } from "@zonemesh/xds";
import type { ServiceEndpoint } from "./catalog";
import { socketAddress } from "./envoy-values";

const matchesTags = (endpoint: ServiceEndpoint, tags: Record<string, string>) => Object.entries(tags).every(([key, value]) => endpoint.tags[key] === value);

function byAddress(a: ServiceEndpoint, b: ServiceEndpoint): number {
  return a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1;
}

/**
 * The endpoints of a cluster grouped by zone (locality). With locality awareness and local endpoints, the local zone has
 * priority 0 and other zones priority 1, so Envoy only leaves the zone when it runs out of healthy endpoints. Each locality is weighted
 * by its endpoint weights (grpc-js-xds ignores unweighted localities); an ingress endpoint weighs its instance count.
 */
export function loadAssignment(clusterName: string, endpoints: ServiceEndpoint[], tags: Record<string, string>, localZone: string, localityAware: boolean): ClusterLoadAssignment {
  // One ingress advertises each tag combination of a service separately: same address, weights add up.
  const unique = new Map<string, ServiceEndpoint>();
  for (const endpoint of endpoints.filter((candidate) => matchesTags(candidate, tags))) {
    const key = `${endpoint.zone}|${endpoint.address}|${endpoint.port}`;
    const seen = unique.get(key);
    unique.set(key, seen ? { ...seen, weight: seen.weight + endpoint.weight } : endpoint);
  }
  const byZone = new Map<string, ServiceEndpoint[]>();
  for (const endpoint of unique.values()) byZone.set(endpoint.zone, [...(byZone.get(endpoint.zone) ?? []), endpoint]);
  // Priorities must start at 0 without gaps (gRPC rejects sparse ones): remote zones only drop to 1 behind local endpoints.
  const remotePriority = localityAware && byZone.has(localZone) ? 1 : 0;
  const priorityOf = (zone: string) => (zone === localZone ? 0 : remotePriority);
  const localities: LocalityLbEndpoints[] = [...byZone]
    .sort(([a], [b]) => priorityOf(a) - priorityOf(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([zone, members]) => {
      const priority = priorityOf(zone);
      const lbEndpoints = members.sort(byAddress).map(
        (endpoint): LbEndpoint => ({
          endpoint: { address: socketAddress(endpoint.address, endpoint.port) },
          ...(endpoint.weight !== 1 ? { load_balancing_weight: { value: endpoint.weight } } : {}),
        }),
      );
      return {
        locality: { zone },
        lb_endpoints: lbEndpoints,
        load_balancing_weight: { value: members.reduce((sum, endpoint) => sum + endpoint.weight, 0) },
        ...(priority ? { priority } : {}),
      };
    });
  return { cluster_name: clusterName, ...(localities.length > 0 ? { endpoints: localities } : {}) };
}
