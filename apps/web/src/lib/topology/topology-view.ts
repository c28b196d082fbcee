import { edgesBetween, type ServiceGraph, type ServiceNode, type Topology } from "./build-topology";
import { collapseByZone } from "./collapse-topology";
import { filterTopology, type TopologyFilter } from "./filter-topology";

/** At most this many service nodes are sent to the browser unless asked otherwise: more do not draw interactively. */
export const DEFAULT_NODE_LIMIT = 200;

export interface TopologyViewOptions extends TopologyFilter {
  /** true: one node per zone; false: service nodes; undefined: collapsed when nothing narrows a graph above `limit`. */
  collapse?: boolean | undefined;
  limit: number;
}

export interface TopologyView extends Topology {
  collapsed: boolean;
  /** Service nodes in the whole mesh. */
  totalServiceNodes: number;
  /** Service nodes that match the filters. */
  matchingServiceNodes: number;
  /** Matching service nodes left out to stay within the limit: the user should narrow the filter. */
  hiddenServiceNodes: number;
  /** Every zone of the mesh, for the zone filter. */
  zoneNames: string[];
}

/**
 * What the browser draws: the graph filtered by zone, search or focus, then collapsed by zone or cut to `limit`
 * service nodes (a focused node and a search's matches first), with edges drawn only between the nodes it keeps.
 */
export function topologyView(graph: ServiceGraph, options: TopologyViewOptions): TopologyView {
  const { zones, nodes } = filterTopology(graph, options);
  const narrowed = Boolean(options.zone || options.search?.trim() || options.focus);
  const collapsed = options.collapse ?? (!narrowed && nodes.length > options.limit);
  const base = {
    mesh: graph.mesh,
    mtls: graph.mtls,
    zones,
    collapsed,
    totalServiceNodes: graph.nodes.length,
    matchingServiceNodes: nodes.length,
    hiddenServiceNodes: 0,
    zoneNames: graph.zones.map((zone) => zone.name),
  };
  if (collapsed) return { ...base, ...collapseByZone(graph, nodes) };
  if (nodes.length <= options.limit) return { ...base, services: nodes, edges: edgesBetween(graph, nodes) };

  const search = options.search?.trim().toLowerCase();
  const first = (node: ServiceNode) => node.id === options.focus || Boolean(search && node.service.toLowerCase().includes(search));
  const kept = [...nodes.filter(first), ...nodes.filter((node) => !first(node))].slice(0, options.limit).sort((a, b) => (a.id < b.id ? -1 : 1));
  const keptZones = new Set(kept.map((node) => node.zone));
  return {
    ...base,
    zones: zones.filter((zone) => keptZones.has(zone.name)),
    services: kept,
    edges: edgesBetween(graph, kept),
    hiddenServiceNodes: nodes.length - kept.length,
  };
}
