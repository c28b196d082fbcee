// Positions for the graph in linear time: each zone is a box of services on a square-ish grid, callers before the
// services they call (so most edges run left to right), the zones side by side. Thousands of nodes lay out in
// milliseconds, and the same graph gets the same positions.
import type { Topology } from "./build-topology";

export const SERVICE_SIZE = { width: 180, height: 56 };
const SERVICE_GAP = { x: 40, y: 24 };
const ZONE_PADDING = 24;
export const ZONE_HEADER = 28;
const ZONE_GAP = 60;
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

/** How far down the call chains each node is (0 for nodes nothing calls; nodes on a cycle keep the rank they reached). */
function ranks(topology: Topology): Map<string, number> {
  const callers = new Map<string, number>(topology.services.map((node) => [node.id, 0]));
  const callees = new Map<string, string[]>();
  for (const edge of topology.edges) {
    if (!callers.has(edge.source) || !callers.has(edge.target)) continue;
    callers.set(edge.target, callers.get(edge.target)! + 1);
    callees.set(edge.source, [...(callees.get(edge.source) ?? []), edge.target]);
  }
  const rank = new Map<string, number>();
  const ready = [...callers].filter(([, count]) => count === 0).map(([id]) => id);
  for (const id of ready) rank.set(id, 0);
  // Kahn's order: a node is placed after every caller outside a cycle.
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    for (const target of callees.get(id) ?? []) {
      rank.set(target, Math.max(rank.get(target) ?? 0, rank.get(id)! + 1));
      const left = callers.get(target)! - 1;
      callers.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  return rank;
}

/** A zone this shallow and narrow gets one column per rank (edges run straight across); others a square grid. */
const LAYERED_MAX = { ranks: 8, perRank: 25 };

/** Grid cells for a zone's ids (sorted by rank): one column per rank when that stays small, else square-ish rows. */
function cellsOf(ids: string[], rank: Map<string, number>): { column: number; row: number }[] {
  const layers = [...new Set(ids.map((id) => rank.get(id) ?? 0))];
  const perLayer = new Map<number, number>();
  for (const id of ids) perLayer.set(rank.get(id) ?? 0, (perLayer.get(rank.get(id) ?? 0) ?? 0) + 1);
  if (layers.length <= LAYERED_MAX.ranks && Math.max(0, ...perLayer.values()) <= LAYERED_MAX.perRank) {
    const filled = new Map<number, number>();
    return ids.map((id) => {
      const layer = rank.get(id) ?? 0;
      const row = filled.get(layer) ?? 0;
      filled.set(layer, row + 1);
      return { column: layers.indexOf(layer), row };
    });
  }
  const columns = Math.max(1, Math.ceil(Math.sqrt(ids.length)));
  return ids.map((_, i) => ({ column: i % columns, row: Math.floor(i / columns) }));
}

/** Deterministic for the same graph, so a refresh that changes nothing moves nothing. */
export function layoutTopology(topology: Topology): TopologyLayout {
  const rank = ranks(topology);
  const order = (a: string, b: string) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
  const byZone = new Map<string, string[]>(topology.zones.map((zone) => [zone.id, []]));
  for (const node of topology.services) {
    const zoneId = `zone:${node.zone}`;
    const ids = byZone.get(zoneId) ?? [];
    ids.push(node.id);
    byZone.set(zoneId, ids);
  }
  const zones: PlacedZone[] = [];
  const services: PlacedService[] = [];
  let x = 0;
  for (const [zoneId, ids] of byZone) {
    ids.sort(order);
    const cells = cellsOf(ids, rank);
    cells.forEach(({ column, row }, i) => {
      services.push({
        id: ids[i]!,
        zoneId,
        x: ZONE_PADDING + column * (SERVICE_SIZE.width + SERVICE_GAP.x),
        y: ZONE_HEADER + ZONE_PADDING + row * (SERVICE_SIZE.height + SERVICE_GAP.y),
      });
    });
    const columns = Math.max(0, ...cells.map((cell) => cell.column)) + 1;
    const rows = Math.max(0, ...cells.map((cell) => cell.row)) + 1;
    const size =
      ids.length === 0
        ? EMPTY_ZONE
        : {
            width: 2 * ZONE_PADDING + columns * SERVICE_SIZE.width + (columns - 1) * SERVICE_GAP.x,
            height: ZONE_HEADER + 2 * ZONE_PADDING + rows * SERVICE_SIZE.height + (rows - 1) * SERVICE_GAP.y,
          };
    zones.push({ id: zoneId, x, y: 0, ...size });
    x += size.width + ZONE_GAP;
  }
  return { zones, services };
}
