"use client";

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { isZoneSummary } from "@/lib/topology/collapse-topology";
import type { ServiceFlowNode, ZoneFlowNode } from "./to-flow";

export function ZoneGroupNode({ data }: NodeProps<ZoneFlowNode>) {
  return (
    <div className={`topology-zone ${data.zone.online ? "" : "offline"}`}>
      <div className="topology-zone-title">
        zone {data.zone.name} <span className={`badge ${data.zone.online ? "online" : "offline"}`}>{data.zone.online ? "online" : "offline"}</span>
      </div>
    </div>
  );
}

const servicesText = (count: number) => `${count} service${count === 1 ? "" : "s"}`;

export function ServiceGraphNode({ data }: NodeProps<ServiceFlowNode>) {
  const { service } = data;
  const health = service.healthy === service.total ? "online" : service.healthy === 0 ? "offline" : "partially_degraded";
  return (
    <div className={`topology-service ${health} ${data.selected ? "selected" : ""}`} title={`${service.service} in ${service.zone}`}>
      <Handle type="target" position={Position.Left} />
      <div className="topology-service-name">{isZoneSummary(service) ? servicesText(service.serviceCount ?? 0) : service.service}</div>
      <div className="topology-service-counts">
        {service.healthy}/{service.total} healthy{service.openToMesh.length > 0 ? " · open to mesh" : ""}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const nodeTypes = { zone: ZoneGroupNode, service: ServiceGraphNode };
