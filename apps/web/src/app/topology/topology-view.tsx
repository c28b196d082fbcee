"use client";

import "@xyflow/react/dist/style.css";
import { useQuery } from "@tanstack/react-query";
import { Background, Controls, MiniMap, ReactFlow } from "@xyflow/react";
import { useMemo } from "react";
import { FilterForm } from "@/components/filter-form";
import { MeshSelect } from "@/components/mesh-select";
import { Empty, QueryView } from "@/components/states";
import type { Topology } from "@/lib/topology/build-topology";
import { AUTO_COLLAPSE_ABOVE, collapseByZone, isZoneSummary } from "@/lib/topology/collapse-topology";
import { filterTopology } from "@/lib/topology/filter-topology";
import { layoutTopology } from "@/lib/topology/layout-topology";
import { useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";
import { SidePanel } from "./side-panel";
import { toFlow, type ServiceFlowNode } from "./to-flow";
import { nodeTypes } from "./topology-nodes";

const REFRESH_MS = 10_000;

export function TopologyView() {
  const trpc = useTRPC();
  const { get, set } = useQueryState();
  const mesh = get("mesh") || "default";
  // Refetching replaces the data but keeps this component (and React Flow's viewport) mounted.
  const graph = useQuery(trpc.topology.graph.queryOptions({ mesh }, { refetchInterval: REFRESH_MS }));
  return (
    <>
      <h1>Topology</h1>
      <FilterForm onApply={(values) => set({ q: values.q, focus: undefined })}>
        <MeshSelect required value={mesh} onChange={(value) => set({ mesh: value, zone: undefined, focus: undefined, selected: undefined })} />
        <label>
          Zone
          <select value={get("zone")} onChange={(event) => set({ zone: event.target.value })}>
            <option value="">all zones</option>
            {(graph.data?.zones ?? []).map((zone) => (
              <option key={zone.name}>{zone.name}</option>
            ))}
          </select>
        </label>
        <label>
          Service search
          <input name="q" defaultValue={get("q")} key={get("q")} />
        </label>
        {get("focus") && (
          <button type="button" onClick={() => set({ focus: undefined })}>
            Show all (focused on {get("focus").replace(/^svc:/, "")})
          </button>
        )}
      </FilterForm>
      <QueryView query={graph} what="the topology">
        {(topology) => <TopologyCanvas topology={topology} />}
      </QueryView>
    </>
  );
}

function TopologyCanvas({ topology }: { topology: Topology }) {
  const { get, set } = useQueryState();
  const zone = get("zone");
  const search = get("q");
  const focus = get("focus");
  const selected = get("selected");
  const filtered = useMemo(() => filterTopology(topology, { zone, search, focus }), [topology, zone, search, focus]);
  const collapsed = get("collapse") === "1" || (get("collapse") === "" && filtered.services.length > AUTO_COLLAPSE_ABOVE);
  const visible = useMemo(() => (collapsed ? collapseByZone(filtered) : filtered), [collapsed, filtered]);
  const layout = useMemo(() => layoutTopology(visible), [visible]);
  const flow = useMemo(() => toFlow(visible, layout, selected), [visible, layout, selected]);
  if (topology.services.length === 0) return <Empty>No dataplane runs in mesh {topology.mesh} yet.</Empty>;
  return (
    <div className="topology">
      <div className="topology-canvas" data-testid="topology-canvas">
        <ReactFlow
          nodes={flow.nodes}
          edges={flow.edges}
          nodeTypes={nodeTypes}
          fitView
          minZoom={0.05}
          nodesDraggable={false}
          nodesConnectable={false}
          onlyRenderVisibleElements
          onNodeClick={(_, node) => {
            if (node.type !== "service") return;
            const service = (node as ServiceFlowNode).data.service;
            // A zone summary drills down into its zone; a service opens its side panel.
            set(isZoneSummary(service) ? { zone: service.zone, collapse: "0" } : { selected: node.id });
          }}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable />
        </ReactFlow>
        {visible.services.length === 0 && <div className="topology-overlay">No service matches these filters.</div>}
      </div>
      <div className="topology-legend">
        <label>
          <input type="checkbox" checked={collapsed} onChange={(event) => set({ collapse: event.target.checked ? "1" : "0" })} /> collapse by zone
        </label>
        <span className="legend permits">may talk (MeshTrafficPermission)</span>
        <span className="legend routes">routes to (MeshHTTPRoute/TCPRoute)</span>
        <span className="legend cross">cross-zone, through the zone ingress</span>
        <span>{topology.mtls ? "mTLS on: every edge is encrypted and authenticated" : "mTLS off in this mesh"}</span>
        <span className="muted">
          {filtered.services.length} of {topology.services.length} service nodes{collapsed ? ` in ${visible.services.length} zones` : ""} ·{" "}
          {visible.edges.length} edges
        </span>
      </div>
      {selected && <SidePanel topology={topology} selectedId={selected} onFocus={(id) => set({ focus: id })} onClose={() => set({ selected: undefined })} />}
    </div>
  );
}
