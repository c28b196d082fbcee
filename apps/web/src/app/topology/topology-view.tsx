"use client";

import "@xyflow/react/dist/style.css";
import { useQuery } from "@tanstack/react-query";
import { Background, Controls, MiniMap, ReactFlow } from "@xyflow/react";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { FilterForm } from "@/components/filter-form";
import { MeshSelect } from "@/components/mesh-select";
import { Empty, QueryView } from "@/components/states";
import { isZoneSummary } from "@/lib/topology/collapse-topology";
import { layoutTopology } from "@/lib/topology/layout-topology";
import type { TopologyView as TopologyGraph } from "@/lib/topology/topology-view";
import { useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";
import { SidePanel } from "./side-panel";
import { toFlow, withSelection, type ServiceFlowNode } from "./to-flow";
import { topologyInput } from "./topology-input";
import { nodeTypes } from "./topology-nodes";

const REFRESH_MS = 10_000;

export function TopologyView() {
  const trpc = useTRPC();
  const { get, set } = useQueryState();
  // The server filters and collapses, so the browser only lays out and draws what is shown. Refetching replaces
  // the data (the same object when nothing changed) but keeps this component and React Flow's viewport mounted.
  const input = topologyInput(get);
  const mesh = input.mesh;
  const graph = useQuery(trpc.topology.graph.queryOptions(input, { refetchInterval: REFRESH_MS }));
  return (
    <>
      <h1>Topology</h1>
      <FilterForm onApply={(values) => set({ q: values.q, focus: undefined })}>
        <MeshSelect required value={mesh} onChange={(value) => set({ mesh: value, zone: undefined, focus: undefined, selected: undefined })} />
        <label>
          Zone
          <select value={get("zone")} onChange={(event) => set({ zone: event.target.value })}>
            <option value="">all zones</option>
            {(graph.data?.zoneNames ?? []).map((zone) => (
              <option key={zone}>{zone}</option>
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

function TopologyCanvas({ topology }: { topology: TopologyGraph }) {
  const { get, set } = useQueryState();
  const selected = get("selected");
  const flow = useMemo(() => toFlow(topology, layoutTopology(topology)), [topology]);
  const nodes = useMemo(() => withSelection(flow.nodes, selected), [flow, selected]);
  // The MiniMap draws every node again: it comes a frame after the graph so the first draw has less to do.
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setDrawn(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  // React Flow is created once the canvas has its size in the browser (before the first paint), so its first render
  // is already fitted to the canvas and draws the sized nodes at once; without a size it renders them hidden, measures
  // and fits over several passes. The server renders the empty canvas, not the graph.
  const canvas = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number }>();
  useLayoutEffect(() => {
    const box = canvas.current?.getBoundingClientRect();
    if (box) setSize({ width: box.width, height: box.height });
  }, []);
  if (topology.totalServiceNodes === 0) return <Empty>No dataplane runs in mesh {topology.mesh} yet.</Empty>;
  return (
    <div className="topology">
      <div className="topology-canvas" data-testid="topology-canvas" ref={canvas}>
        {size && (
          <ReactFlow
            width={size.width}
            height={size.height}
            nodes={nodes}
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
            {drawn && <MiniMap pannable zoomable />}
          </ReactFlow>
        )}
        {topology.services.length === 0 && <div className="topology-overlay">No service matches these filters.</div>}
        {topology.hiddenServiceNodes > 0 && (
          <div className="topology-more" role="status">
            {topology.hiddenServiceNodes} more service nodes not drawn: refine the filter (zone, service search) or focus on a service.
          </div>
        )}
      </div>
      <div className="topology-legend">
        <label>
          <input type="checkbox" checked={topology.collapsed} onChange={(event) => set({ collapse: event.target.checked ? "1" : "0" })} /> collapse by zone
        </label>
        <span className="legend permits">may talk (MeshTrafficPermission)</span>
        <span className="legend routes">routes to (MeshHTTPRoute/TCPRoute)</span>
        <span className="legend cross">cross-zone, through the zone ingress</span>
        <span>{topology.mtls ? "mTLS on: every edge is encrypted and authenticated" : "mTLS off in this mesh"}</span>
        <span className="muted">
          {topology.collapsed
            ? `${topology.matchingServiceNodes} of ${topology.totalServiceNodes} service nodes in ${topology.services.length} zones`
            : `${topology.services.length} of ${topology.matchingServiceNodes} matching (${topology.totalServiceNodes} in the mesh) service nodes`}{" "}
          · {topology.edges.length} edges
        </span>
      </div>
      {selected && <SidePanel topology={topology} selectedId={selected} onFocus={(id) => set({ focus: id })} onClose={() => set({ selected: undefined })} />}
    </div>
  );
}
