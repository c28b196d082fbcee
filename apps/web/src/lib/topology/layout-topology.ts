// Positions for the graph in linear time: each zone is a box of services on a square-ish grid (ordered by id),
// the zones side by side. Thousands of nodes lay out in milliseconds, and the same graph gets the same positions.
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

/** Deterministic for the same graph, so a refresh that changes nothing moves nothing. */
export function layoutTopology(topology: Topology): TopologyLayout {
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
    ids.sort();
    const columns = Math.max(1, Math.ceil(Math.sqrt(ids.length)));
    const rows = Math.ceil(ids.length / columns);
    ids.forEach((id, i) => {
      services.push({
        id,
        zoneId,
        x: ZONE_PADDING + (i % columns) * (SERVICE_SIZE.width + SERVICE_GAP.x),
        y: ZONE_HEADER + ZONE_PADDING + Math.floor(i / columns) * (SERVICE_SIZE.height + SERVICE_GAP.y),
      });
    });
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
