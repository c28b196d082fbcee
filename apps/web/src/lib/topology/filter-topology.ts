import type { ServiceGraph, ServiceNode, ZoneNode } from "./build-topology";

export interface TopologyFilter {
  /** Only this zone's services (edges into other zones are kept as long as both ends are shown). */
  zone?: string | undefined;
  /** Services whose name contains this, with their neighbours. */
  search?: string | undefined;
  /** A service node id: only it and the services it is connected to. */
  focus?: string | undefined;
}

/** The services each service has an edge to or from. */
function neighbourServices(graph: ServiceGraph, of: Set<string>): Set<string> {
  const neighbours = new Set<string>();
  for (const edge of graph.edges) {
    if (of.has(edge.from)) neighbours.add(edge.to);
    if (of.has(edge.to)) neighbours.add(edge.from);
  }
  return neighbours;
}

/**
 * The nodes (and zones) to show, narrowed before anything is laid out or sent to the browser. Every node of a
 * service is connected to every node of the services it has an edge with, so neighbours are found per service.
 */
export function filterTopology(graph: ServiceGraph, filter: TopologyFilter): { zones: ZoneNode[]; nodes: ServiceNode[] } {
  const inZone = (node: ServiceNode) => !filter.zone || node.zone === filter.zone;
  let nodes = graph.nodes.filter(inZone);
  const search = filter.search?.trim().toLowerCase();
  if (search) {
    const matches = new Set(nodes.filter((node) => node.service.toLowerCase().includes(search)).map((node) => node.id));
    const neighbours = neighbourServices(graph, new Set(graph.nodes.filter((node) => matches.has(node.id)).map((node) => node.service)));
    nodes = graph.nodes.filter((node) => matches.has(node.id) || (neighbours.has(node.service) && inZone(node)));
  }
  const focused = filter.focus ? graph.nodes.find((node) => node.id === filter.focus) : undefined;
  if (focused) {
    const neighbours = neighbourServices(graph, new Set([focused.service]));
    nodes = graph.nodes.filter((node) => node === focused || neighbours.has(node.service));
  }
  const zonesShown = new Set(nodes.map((node) => node.zone));
  const narrowed = Boolean(search || focused);
  return { zones: graph.zones.filter((zone) => zonesShown.has(zone.name) || (!narrowed && (!filter.zone || zone.name === filter.zone))), nodes };
}
