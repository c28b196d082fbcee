import type { ServiceNode, Topology } from "./build-topology";
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
 * service nodes (a search's matches and a focused node first) with only the edges between nodes it keeps.
 */
export function topologyView(full: Topology, options: TopologyViewOptions): TopologyView {
  const filtered = filterTopology(full, options);
  const narrowed = Boolean(options.zone || options.search?.trim() || options.focus);
  const collapsed = options.collapse ?? (!narrowed && filtered.services.length > options.limit);
  const counts = {
    collapsed,
    totalServiceNodes: full.services.length,
    matchingServiceNodes: filtered.services.length,
    zoneNames: full.zones.map((zone) => zone.name),
  };
  if (collapsed) return { ...collapseByZone(filtered), ...counts, hiddenServiceNodes: 0 };
  if (filtered.services.length <= options.limit) return { ...filtered, ...counts, hiddenServiceNodes: 0 };

  const search = options.search?.trim().toLowerCase();
  const first = (node: ServiceNode) => node.id === options.focus || Boolean(search && node.service.toLowerCase().includes(search));
  const kept = [...filtered.services.filter(first), ...filtered.services.filter((node) => !first(node))].slice(0, options.limit);
  const keptIds = new Set(kept.map((node) => node.id));
  const keptZones = new Set(kept.map((node) => node.zone));
  return {
    ...filtered,
    ...counts,
    zones: filtered.zones.filter((zone) => keptZones.has(zone.name)),
    services: kept.sort((a, b) => (a.id < b.id ? -1 : 1)),
    edges: filtered.edges.filter((edge) => keptIds.has(edge.source) && keptIds.has(edge.target)),
    hiddenServiceNodes: filtered.services.length - kept.length,
  };
}
