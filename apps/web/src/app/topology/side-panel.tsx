"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LOCAL_ZONE, type ServiceNode, type Topology } from "@/lib/topology/build-topology";
import { QueryView } from "@/components/states";
import { StatusBadge } from "@/components/status-badge";
import { ZonedName } from "@/components/zoned-name";
import { dataplaneHref, policyEditorHref } from "@/lib/links";
import { useTRPC } from "@/trpc/client";

const DATAPLANES_SHOWN = 20;

/** The node's dataplanes, read when the panel opens (the graph carries only counts). */
function NodeDataplanes({ mesh, node }: { mesh: string; node: ServiceNode }) {
  const trpc = useTRPC();
  const zone = node.zone === LOCAL_ZONE ? undefined : node.zone;
  const dataplanes = useQuery(trpc.dataplanes.list.queryOptions({ mesh, service: node.service, zone, size: DATAPLANES_SHOWN }));
  const all = `/dataplanes?${new URLSearchParams({ mesh, service: node.service, ...(zone ? { zone } : {}) }).toString()}`;
  return (
    <QueryView query={dataplanes} what="its dataplanes" isEmpty={(page) => page.items.length === 0}>
      {(page) => (
        <ul>
          {page.items.map((dp) => (
            <li key={dp.name}>
              <ZonedName name={dp.displayName} zone={dp.zone} href={dataplaneHref(mesh, dp.name)} /> <StatusBadge status={dp.status} />
            </li>
          ))}
          {page.total > page.items.length && (
            <li>
              <Link href={all}>all {page.total} dataplanes</Link>
            </li>
          )}
        </ul>
      )}
    </QueryView>
  );
}

/** The selected service: its dataplanes, and the policies behind its edges. */
export function SidePanel({
  topology,
  selectedId,
  onFocus,
  onClose,
}: {
  topology: Topology;
  selectedId: string;
  onFocus: (id: string) => void;
  onClose: () => void;
}) {
  const node = topology.services.find((service) => service.id === selectedId);
  if (!node) return null;
  const name = (id: string) => topology.services.find((service) => service.id === id)?.service ?? id;
  const zone = (id: string) => topology.services.find((service) => service.id === id)?.zone ?? "";
  const incoming = topology.edges.filter((edge) => edge.target === node.id);
  const outgoing = topology.edges.filter((edge) => edge.source === node.id);
  const policyLink = (type: string, policy: string) => (
    <Link key={`${type}/${policy}`} href={policyEditorHref(type, topology.mesh, policy)}>
      {policy}
    </Link>
  );
  return (
    <aside className="side-panel" aria-label="Service details">
      <button type="button" className="close" onClick={onClose} aria-label="Close">
        ×
      </button>
      <h2>{node.service}</h2>
      <p className="muted">
        zone {node.zone} · {node.healthy}/{node.total} dataplanes healthy
      </p>
      <button type="button" onClick={() => onFocus(node.id)}>
        Focus on it and its neighbours
      </button>
      <h3>Dataplanes</h3>
      <NodeDataplanes mesh={topology.mesh} node={node} />
      <h3>Policies</h3>
      {incoming.length + outgoing.length + node.openToMesh.length === 0 && <p className="muted">No permission or route mentions this service.</p>}
      <ul>
        {node.openToMesh.map((policy) => (
          <li key={policy}>any service may call it: {policyLink("MeshTrafficPermission", policy)}</li>
        ))}
        {incoming.map((edge) => (
          <li key={edge.id}>
            {edge.kind === "permits" ? "may be called by" : "routed to from"} {name(edge.source)} ({zone(edge.source)}):{" "}
            {edge.policies.map((policy) => policyLink(policy.type, policy.name))}
          </li>
        ))}
        {outgoing.map((edge) => (
          <li key={edge.id}>
            {edge.kind === "permits" ? "may call" : "routes to"} {name(edge.target)} ({zone(edge.target)}):{" "}
            {edge.policies.map((policy) => policyLink(policy.type, policy.name))}
          </li>
        ))}
      </ul>
    </aside>
  );
}
