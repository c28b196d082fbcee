// The topology graph model of one mesh, from configuration alone (no traffic needed): services placed in the
// zones where their dataplanes run, "may talk" edges from MeshTrafficPermissions and "routes to" edges from
// MeshHTTPRoutes/MeshTCPRoutes. Pure, so it is tested without a CP and can run on the server.
import type { MeshHTTPRouteBody, MeshTCPRouteBody, MeshTrafficPermissionBody, TargetRef } from "@zonemesh/resources";

export interface TopologyDataplane {
  name: string;
  zone: string | null;
  services: string[];
  tags: Record<string, string[]>;
  status: "online" | "offline" | "partially_degraded";
}

export type TopologyPolicy =
  | { type: "MeshTrafficPermission"; name: string; body: MeshTrafficPermissionBody }
  | { type: "MeshHTTPRoute"; name: string; body: MeshHTTPRouteBody }
  | { type: "MeshTCPRoute"; name: string; body: MeshTCPRouteBody };

export interface TopologyInput {
  mesh: string;
  mtls: boolean;
  zones: { name: string; online: boolean }[];
  dataplanes: TopologyDataplane[];
  policies: TopologyPolicy[];
}

export interface ZoneNode {
  id: string;
  name: string;
  online: boolean;
}

export interface ServiceNode {
  id: string;
  service: string;
  zone: string;
  healthy: number;
  total: number;
  dataplanes: { name: string; status: TopologyDataplane["status"] }[];
  /** Set on the nodes of a graph collapsed by zone: how many services the node stands for. */
  serviceCount?: number;
  /** MeshTrafficPermissions that allow any source (`from: Mesh`) into this service: drawn as a mark, not N edges. */
  openToMesh: string[];
}

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  kind: "permits" | "routes";
  crossZone: boolean;
  mtls: boolean;
  policies: PolicyName[];
}

export interface PolicyName {
  type: TopologyPolicy["type"];
  name: string;
}

export interface Topology {
  mesh: string;
  mtls: boolean;
  zones: ZoneNode[];
  services: ServiceNode[];
  edges: TopologyEdge[];
}

/** Zone of dataplanes whose zone is unknown (a standalone CP, or one not synced through KDS). */
export const LOCAL_ZONE = "local";

export const zoneId = (zone: string) => `zone:${zone}`;
export const serviceId = (zone: string, service: string) => `svc:${zone}/${service}`;

const ALLOWING = new Set(["Allow", "AllowWithShadowDeny"]);

/** The service names a targetRef picks, or "mesh" for every service. */
function selectedServices(ref: TargetRef | undefined, services: Map<string, TopologyDataplane[]>): string[] | "mesh" {
  if (!ref || ref.kind === "Mesh") return "mesh";
  if ((ref.kind === "MeshService" || ref.kind === "MeshServiceSubset") && ref.name) return services.has(ref.name) ? [ref.name] : [];
  if (ref.kind === "MeshSubset") {
    const tags = Object.entries(ref.tags ?? {});
    return [...services].filter(([, dps]) => dps.some((dp) => tags.every(([key, value]) => dp.tags[key]?.includes(value)))).map(([name]) => name);
  }
  return [];
}

export function buildTopology(input: TopologyInput): Topology {
  const byService = new Map<string, TopologyDataplane[]>();
  const nodes = new Map<string, ServiceNode>();
  for (const dp of input.dataplanes) {
    const zone = dp.zone ?? LOCAL_ZONE;
    for (const service of dp.services) {
      byService.set(service, [...(byService.get(service) ?? []), dp]);
      const id = serviceId(zone, service);
      const node = nodes.get(id) ?? { id, service, zone, healthy: 0, total: 0, dataplanes: [], openToMesh: [] };
      node.total++;
      if (dp.status === "online") node.healthy++;
      node.dataplanes.push({ name: dp.name, status: dp.status });
      nodes.set(id, node);
    }
  }
  const nodesOf = (service: string) => [...nodes.values()].filter((node) => node.service === service);
  const allServices = [...byService.keys()];
  const pick = (ref: TargetRef | undefined) => {
    const selected = selectedServices(ref, byService);
    return selected === "mesh" ? allServices : selected;
  };

  const edges = new Map<string, TopologyEdge>();
  const connect = (kind: TopologyEdge["kind"], from: string, to: string, policy: PolicyName) => {
    for (const source of nodesOf(from)) {
      for (const target of nodesOf(to)) {
        if (source.id === target.id) continue;
        const id = `${kind}:${source.id}->${target.id}`;
        const edge = edges.get(id) ?? { id, source: source.id, target: target.id, kind, crossZone: source.zone !== target.zone, mtls: input.mtls, policies: [] };
        if (!edge.policies.some((known) => known.type === policy.type && known.name === policy.name)) edge.policies.push(policy);
        edges.set(id, edge);
      }
    }
  };

  for (const policy of input.policies) {
    const spec = policy.body.spec;
    if (policy.type === "MeshTrafficPermission") {
      const destinations = pick(policy.body.spec.targetRef);
      for (const from of policy.body.spec.from ?? []) {
        if (!ALLOWING.has(from.default.action)) continue;
        const sources = selectedServices(from.targetRef, byService);
        if (sources === "mesh") {
          for (const destination of destinations) for (const node of nodesOf(destination)) node.openToMesh.push(policy.name);
          continue;
        }
        for (const source of sources) for (const destination of destinations) connect("permits", source, destination, policy);
      }
      continue;
    }
    const sources = pick(spec.targetRef);
    for (const to of (spec as MeshHTTPRouteBody["spec"] | MeshTCPRouteBody["spec"]).to) {
      const backends = to.rules.flatMap((rule) => rule.default.backendRefs ?? []).flatMap((ref) => (ref.name ? [ref.name] : []));
      for (const destination of backends.length > 0 ? backends : to.targetRef.name ? [to.targetRef.name] : []) {
        for (const source of sources) connect("routes", source, destination, policy);
      }
    }
  }

  const zoneNames = new Set([...input.zones.map((zone) => zone.name), ...[...nodes.values()].map((node) => node.zone)]);
  const online = new Map(input.zones.map((zone) => [zone.name, zone.online]));
  return {
    mesh: input.mesh,
    mtls: input.mtls,
    zones: [...zoneNames].sort().map((name) => ({ id: zoneId(name), name, online: online.get(name) ?? name === LOCAL_ZONE })),
    services: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...edges.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
