import type { ServiceNode, Topology, TopologyEdge } from "./build-topology";

export const ZONE_SUMMARY_SERVICE = "*";
export const isZoneSummary = (node: Pick<ServiceNode, "service">) => node.service === ZONE_SUMMARY_SERVICE;

/**
 * One node per zone summing its services' dataplanes, and one edge per (kind, zone pair) carrying every policy
 * behind the edges it replaces: a mesh of hundreds of services stays readable at a glance.
 */
export function collapseByZone(topology: Topology): Topology {
  const summaries = new Map<string, ServiceNode & { serviceCount: number }>();
  for (const node of topology.services) {
    const summary = summaries.get(node.zone) ?? {
      id: `svc:${node.zone}/${ZONE_SUMMARY_SERVICE}`,
      service: ZONE_SUMMARY_SERVICE,
      zone: node.zone,
      healthy: 0,
      total: 0,
      openToMesh: [],
      serviceCount: 0,
    };
    summary.serviceCount++;
    summary.healthy += node.healthy;
    summary.total += node.total;
    summary.openToMesh.push(...node.openToMesh.filter((policy) => !summary.openToMesh.includes(policy)));
    summaries.set(node.zone, summary);
  }
  const zoneOf = new Map(topology.services.map((node) => [node.id, node.zone]));
  const edges = new Map<string, TopologyEdge>();
  for (const edge of topology.edges) {
    const [from, to] = [zoneOf.get(edge.source)!, zoneOf.get(edge.target)!];
    if (from === to) continue;
    const [source, target] = [summaries.get(from)!.id, summaries.get(to)!.id];
    const id = `${edge.kind}:${source}->${target}`;
    const merged = edges.get(id) ?? { ...edge, id, source, target, policies: [] };
    for (const policy of edge.policies) {
      if (!merged.policies.some((known) => known.type === policy.type && known.name === policy.name)) merged.policies.push(policy);
    }
    edges.set(id, merged);
  }
  return {
    ...topology,
    services: [...summaries.values()],
    edges: [...edges.values()],
  };
}
