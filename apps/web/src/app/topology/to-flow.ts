import { MarkerType, type Edge, type Node } from "@xyflow/react";
import type { ServiceNode, Topology, ZoneNode } from "@/lib/topology/build-topology";
import { SERVICE_SIZE, type TopologyLayout } from "@/lib/topology/layout-topology";

export type ZoneFlowNode = Node<{ zone: ZoneNode }, "zone">;
export type ServiceFlowNode = Node<{ service: ServiceNode; selected: boolean }, "service">;

const edgeColor = { permits: "#1a7f37", routes: "#2f6feb" } as const;
const CROSS_ZONE_COLOR = "#8250df";

export type FlowNode = ZoneFlowNode | ServiceFlowNode;

/**
 * The nodes with `selectedId` marked, every other node the same object as before: React Flow then re-renders the
 * node whose selection changed, not all of them.
 */
export function withSelection(nodes: FlowNode[], selectedId: string | undefined): FlowNode[] {
  return nodes.map((node) => (node.type === "service" && node.id === selectedId ? { ...node, data: { ...node.data, selected: true } } : node));
}

/**
 * React Flow nodes (zones as groups, services as their children) and edges, styled by kind, zone crossing and mTLS;
 * none selected. Nodes carry their size, so React Flow draws them on its first render instead of after measuring.
 */
export function toFlow(topology: Topology, layout: TopologyLayout): { nodes: FlowNode[]; edges: Edge[] } {
  const zoneBoxes = new Map(layout.zones.map((zone) => [zone.id, zone]));
  const servicePlaces = new Map(layout.services.map((service) => [service.id, service]));
  const zones: ZoneFlowNode[] = topology.zones.map((zone) => {
    const box = zoneBoxes.get(zone.id)!;
    return {
      id: zone.id,
      type: "zone",
      position: { x: box.x, y: box.y },
      data: { zone },
      width: box.width,
      height: box.height,
      selectable: false,
      draggable: false,
    };
  });
  const services: ServiceFlowNode[] = topology.services.map((service) => {
    const place = servicePlaces.get(service.id)!;
    return {
      id: service.id,
      type: "service",
      parentId: place.zoneId,
      extent: "parent",
      position: { x: place.x, y: place.y },
      data: { service, selected: false },
      width: SERVICE_SIZE.width,
      height: SERVICE_SIZE.height,
      draggable: false,
    };
  });
  const edges: Edge[] = topology.edges.map((edge) => {
    const color = edge.crossZone ? CROSS_ZONE_COLOR : edgeColor[edge.kind];
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: `${edge.kind === "permits" ? "may talk" : "routes"}${edge.mtls ? " · mTLS" : ""}${edge.crossZone ? " · via ingress" : ""}${edge.policyCount ? ` · ${edge.policyCount} policies` : ""}`,
      labelStyle: { fontSize: 10, fill: color },
      style: { stroke: color, strokeWidth: edge.kind === "routes" ? 2 : 1.5, strokeDasharray: edge.crossZone ? "6 4" : undefined },
      markerEnd: { type: MarkerType.ArrowClosed, color },
      animated: edge.kind === "routes",
      // Above the zone boxes, but never in the way of a click on a node (edges are not interactive here).
      zIndex: 1,
      interactionWidth: 0,
      selectable: false,
      focusable: false,
    };
  });
  return { nodes: [...zones, ...services], edges };
}
