// Positions for the graph: dagre lays out services inside zone clusters (compound graph), left to right.
import dagre from "@dagrejs/dagre";
import type { Topology } from "./build-topology";

export const SERVICE_SIZE = { width: 180, height: 56 };
const ZONE_PADDING = 24;
export const ZONE_HEADER = 28;
const EMPTY_ZONE = { width: 220, height: 80 };

export interface PlacedZone {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedService {
  id: string;
  zoneId: string;
  /** Relative to its zone's top-left corner (how React Flow positions a child node). */
  x: number;
  y: number;
}

export interface TopologyLayout {
  zones: PlacedZone[];
  services: PlacedService[];
}

const ZONE_GAP = 24;

/**
 * Dagre keeps clusters apart by only a node separation, and the padding and header added around each cluster
 * would make neighbours overlap: push each zone box down below any box it collides with (its services move with it).
 */
function separate(boxes: PlacedZone[]): PlacedZone[] {
  const placed: PlacedZone[] = [];
  for (const box of [...boxes].sort((a, b) => a.y - b.y || a.x - b.x)) {
    let y = box.y;
    // Moving below one box can land on another already placed: repeat until nothing collides.
    for (let moved = true; moved; ) {
      moved = false;
      for (const other of placed) {
        const sharesColumns = box.x < other.x + other.width && other.x < box.x + box.width;
        if (sharesColumns && y < other.y + other.height + ZONE_GAP && other.y < y + box.height) {
          y = other.y + other.height + ZONE_GAP;
          moved = true;
        }
      }
    }
    placed.push({ ...box, y });
  }
  return boxes.map((box) => placed.find((moved) => moved.id === box.id)!);
}

/** Deterministic for the same graph, so a refresh that changes nothing moves nothing. */
export function layoutTopology(topology: Topology): TopologyLayout {
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  graph.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 100, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  const occupied = new Set(topology.services.map((node) => `zone:${node.zone}`));
  for (const zone of topology.zones) graph.setNode(zone.id, occupied.has(zone.id) ? {} : { ...EMPTY_ZONE });
  for (const node of topology.services) {
    graph.setNode(node.id, { ...SERVICE_SIZE });
    graph.setParent(node.id, `zone:${node.zone}`);
  }
  for (const edge of topology.edges) graph.setEdge(edge.source, edge.target, {}, edge.id);
  dagre.layout(graph);

  const unmoved = topology.zones.map((zone) => {
    const placed = graph.node(zone.id);
    const padding = occupied.has(zone.id) ? ZONE_PADDING : 0;
    const header = occupied.has(zone.id) ? ZONE_HEADER : 0;
    return {
      id: zone.id,
      x: placed.x - placed.width / 2 - padding,
      y: placed.y - placed.height / 2 - padding - header,
      width: placed.width + 2 * padding,
      height: placed.height + 2 * padding + header,
    };
  });
  // Services are placed relative to their zone before the zones are separated, so they move with it.
  const zoneById = new Map(unmoved.map((zone) => [zone.id, zone]));
  const services = topology.services.map((node) => {
    const placed = graph.node(node.id);
    const zone = zoneById.get(`zone:${node.zone}`)!;
    return { id: node.id, zoneId: zone.id, x: placed.x - SERVICE_SIZE.width / 2 - zone.x, y: placed.y - SERVICE_SIZE.height / 2 - zone.y };
  });
  const zones = separate(unmoved);
  return { zones, services };
}
