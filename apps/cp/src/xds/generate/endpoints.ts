import type { ClusterLoadAssignment, LbEndpoint, LocalityLbEndpoints } from "@zonemesh/xds";
import type { ServiceEndpoint } from "./catalog";
import { lbMetadata, socketAddress } from "./envoy-values";
import type { AffinityGroup, ZonePriorities } from "./zone-priorities";

const matchesTags = (endpoint: ServiceEndpoint, tags: Record<string, string>) => Object.entries(tags).every(([key, value]) => endpoint.tags[key] === value);

function lbEndpoint(endpoint: ServiceEndpoint): LbEndpoint {
  return {
    endpoint: { address: socketAddress(endpoint.address, endpoint.port) },
    ...(Object.keys(endpoint.tags).length > 0 ? { metadata: lbMetadata(endpoint.tags) } : {}),
    ...(endpoint.weight !== 1 ? { load_balancing_weight: { value: endpoint.weight } } : {}),
  };
}

/**
 * The local zone's endpoints as localities (sub_zone `<tag>=<value>`) by the first affinity tag they share with the
 * caller, weighted as the group; the endpoints sharing none in a last one of weight 1. Empty groups are left out.
 */
function affinityLocalities(members: ServiceEndpoint[], groups: AffinityGroup[]): { subZone?: string; members: ServiceEndpoint[]; weight: number }[] {
  const grouped = groups.map((group) => ({ subZone: `${group.key}=${group.value}`, members: [] as ServiceEndpoint[], weight: group.weight }));
  const rest = { members: [] as ServiceEndpoint[], weight: 1 };
  for (const endpoint of members) {
    const index = groups.findIndex((group) => endpoint.tags[group.key] === group.value);
    (index < 0 ? rest : (grouped[index] as (typeof grouped)[number])).members.push(endpoint);
  }
  return [...grouped, rest].filter((group) => group.members.length > 0);
}

/** The tags all of an ingress's instances behind one address share: what its endpoint's metadata can promise. */
function commonTags(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(a).filter(([name, value]) => b[name] === value));
}

function byAddress(a: ServiceEndpoint, b: ServiceEndpoint): number {
  return a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1;
}

/**
 * The endpoints of a cluster grouped by zone (locality), each zone at the priority `zones` gives it (left out without
 * one), so Envoy only leaves the local zone when it runs out of healthy endpoints. Priorities are renumbered from 0
 * without gaps among the zones present (gRPC rejects sparse ones). Each locality is weighted by its endpoint weights
 * (grpc-js-xds ignores unweighted localities); an ingress endpoint weighs its instance count. Each endpoint carries its
 * tags as load-balancer metadata, which MeshRetry's OmitHostsWithTags matches.
 */
export function loadAssignment(clusterName: string, endpoints: ServiceEndpoint[], tags: Record<string, string>, zones: ZonePriorities): ClusterLoadAssignment {
  // One ingress advertises each tag combination of a service separately: same address, weights add up.
  const unique = new Map<string, ServiceEndpoint>();
  for (const endpoint of endpoints.filter((candidate) => matchesTags(candidate, tags) && zones.priorityOf(candidate.zone) !== undefined)) {
    const key = `${endpoint.zone}|${endpoint.address}|${endpoint.port}`;
    const seen = unique.get(key);
    unique.set(key, seen ? { ...seen, weight: seen.weight + endpoint.weight, tags: commonTags(seen.tags, endpoint.tags) } : endpoint);
  }
  const byZone = new Map<string, ServiceEndpoint[]>();
  for (const endpoint of unique.values()) byZone.set(endpoint.zone, [...(byZone.get(endpoint.zone) ?? []), endpoint]);
  const used = [...new Set([...byZone.keys()].map((zone) => zones.priorityOf(zone) as number))].sort((a, b) => a - b);
  const priorityOf = (zone: string) => used.indexOf(zones.priorityOf(zone) as number);
  const localities: LocalityLbEndpoints[] = [...byZone]
    .sort(([a], [b]) => priorityOf(a) - priorityOf(b) || (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([zone, members]) => {
      const priority = priorityOf(zone);
      const groups = zone === zones.affinity?.localZone ? affinityLocalities(members, zones.affinity.groups) : [{ members, weight: members.reduce((sum, endpoint) => sum + endpoint.weight, 0) }];
      return groups.map(({ subZone, members: grouped, weight }) => ({
        locality: { zone, ...(subZone ? { sub_zone: subZone } : {}) },
        lb_endpoints: grouped.sort(byAddress).map(lbEndpoint),
        load_balancing_weight: { value: weight },
        ...(priority ? { priority } : {}),
      }));
    });
  return {
    cluster_name: clusterName,
    ...(localities.length > 0 ? { endpoints: localities } : {}),
    ...(zones.overprovisioningFactor !== undefined ? { policy: { overprovisioning_factor: { value: zones.overprovisioningFactor } } } : {}),
  };
}
