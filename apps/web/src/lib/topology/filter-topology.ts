import type { Topology } from "./build-topology";

export interface TopologyFilter {
  /** Only this zone's services (edges into other zones are kept as long as both ends are shown). */
  zone?: string | undefined;
  /** Services whose name contains this, with their neighbours. */
  search?: string | undefined;
  /** A service node id: only it and the services it is connected to. */
  focus?: string | undefined;
}

/** Narrows the graph before it is laid out and rendered, so large meshes stay readable and fast. */
export function filterTopology(topology: Topology, filter: TopologyFilter): Topology {
  let visible = new Set(topology.services.filter((node) => !filter.zone || node.zone === filter.zone).map((node) => node.id));
  const neighboursOf = (ids: Set<string>) => {
    const result = new Set(ids);
    for (const edge of topology.edges) {
      if (ids.has(edge.source)) result.add(edge.target);
      if (ids.has(edge.target)) result.add(edge.source);
    }
    return result;
  };
  const search = filter.search?.trim().toLowerCase();
  if (search) {
    const matches = new Set(topology.services.filter((node) => visible.has(node.id) && node.service.toLowerCase().includes(search)).map((node) => node.id));
    visible = new Set([...neighboursOf(matches)].filter((id) => matches.has(id) || !filter.zone || id.startsWith(`svc:${filter.zone}/`)));
  }
  if (filter.focus && topology.services.some((node) => node.id === filter.focus)) {
    visible = neighboursOf(new Set([filter.focus]));
  }
  const services = topology.services.filter((node) => visible.has(node.id));
  const zonesShown = new Set(services.map((node) => node.zone));
  return {
    ...topology,
    zones: topology.zones.filter((zone) => zonesShown.has(zone.name) || (!search && !filter.focus && (!filter.zone || zone.name === filter.zone))),
    services,
    edges: topology.edges.filter((edge) => visible.has(edge.source) && visible.has(edge.target)),
  };
}
