import type { ServiceGraph, ServiceNode, TopologyEdge } from "./build-topology";

export const ZONE_SUMMARY_SERVICE = "*";
export const isZoneSummary = (node: Pick<ServiceNode, "service">) => node.service === ZONE_SUMMARY_SERVICE;

/** A collapsed edge stands for every policy between two zones: it names this many and counts the rest. */
const POLICIES_PER_EDGE = 10;

/**
 * One node per zone summing its shown services' dataplanes, and one edge per (kind, zone pair) carrying the
 * policies behind the edges it replaces: a mesh of thousands of services stays readable at a glance.
 */
export function collapseByZone(graph: Pick<ServiceGraph, "mtls" | "edges">, nodes: ServiceNode[]): { services: ServiceNode[]; edges: TopologyEdge[] } {
  const summaries = new Map<string, ServiceNode & { serviceCount: number }>();
  const zonesOf = new Map<string, Set<string>>();
  for (const node of nodes) {
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
    zonesOf.set(node.service, (zonesOf.get(node.service) ?? new Set()).add(node.zone));
  }
  const edges = new Map<string, TopologyEdge & { named: Set<string> }>();
  for (const edge of graph.edges) {
    for (const from of zonesOf.get(edge.from) ?? []) {
      for (const to of zonesOf.get(edge.to) ?? []) {
        if (from === to) continue;
        const [source, target] = [summaries.get(from)!.id, summaries.get(to)!.id];
        const id = `${edge.kind}:${source}->${target}`;
        const merged = edges.get(id) ?? { id, source, target, kind: edge.kind, crossZone: true, mtls: graph.mtls, policies: [], policyCount: 0, named: new Set() };
        for (const policy of edge.policies) {
          const key = `${policy.type}/${policy.name}`;
          if (merged.named.has(key)) continue;
          merged.named.add(key);
          merged.policyCount = merged.named.size;
          if (merged.policies.length < POLICIES_PER_EDGE) merged.policies.push(policy);
        }
        edges.set(id, merged);
      }
    }
  }
  return {
    services: [...summaries.values()],
    edges: [...edges.values()].map(({ named: _named, ...edge }) => edge).sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}
