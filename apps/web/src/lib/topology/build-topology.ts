// The topology graph model of one mesh, from configuration alone (no traffic needed): services placed in the
// zones where their dataplanes run, "may talk" edges from MeshTrafficPermissions (callers by tags or by SPIFFE ID)
// and "routes to" edges from MeshHTTPRoutes/MeshTCPRoutes. Pure, so it is tested without a CP; the BFF runs it over
// the CP's service insights.
import {
  serviceNameOf,
  spiffeIdMatches,
  spiffeIdOf,
  type MeshHTTPRouteBody,
  type MeshTCPRouteBody,
  type MeshTrafficPermissionBody,
  type TargetRef,
} from "@zonemesh/resources";

/** A service and the zones it runs in (null: dataplanes without a zone), with healthy/total dataplanes in each. */
export interface TopologyService {
  name: string;
  zones: { zone: string | null; healthy: number; total: number }[];
}

export type TopologyPolicy =
  | { type: "MeshTrafficPermission"; name: string; body: MeshTrafficPermissionBody }
  | { type: "MeshHTTPRoute"; name: string; body: MeshHTTPRouteBody }
  | { type: "MeshTCPRoute"; name: string; body: MeshTCPRouteBody };

export interface TopologyInput {
  mesh: string;
  mtls: boolean;
  zones: { name: string; online: boolean }[];
  services: TopologyService[];
  policies: TopologyPolicy[];
  /**
   * The services of what each MeshSubset or Dataplane targetRef selects (dataplanes by tags, by name or by labels), by
   * `selectorKey(ref)`; see `dataplaneSelectors`.
   */
  selected: Map<string, string[]>;
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
  /** Set on the edges of a graph collapsed by zone: how many policies it stands for (`policies` names the first few). */
  policyCount?: number;
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

type SpiffeIdRule = NonNullable<MeshTrafficPermissionBody["spec"]["rules"]>[number]["default"];

const sortedEntries = (values: Record<string, string> | undefined) => Object.entries(values ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));

/** One key per distinct selection of dataplanes. */
export const selectorKey = (ref: TargetRef) => JSON.stringify([ref.kind, ref.name, ref.namespace, sortedEntries(ref.tags), sortedEntries(ref.labels), ref.sectionName]);

/** The targetRefs that select dataplanes rather than services: the BFF resolves them to services before building. */
const selectsDataplanes = (ref: TargetRef | undefined): ref is TargetRef => ref?.kind === "MeshSubset" || ref?.kind === "Dataplane";

const targetRefsOf = (policy: TopologyPolicy): (TargetRef | undefined)[] =>
  policy.type === "MeshTrafficPermission"
    ? [policy.body.spec.targetRef, ...(policy.body.spec.from ?? []).map((from) => from.targetRef)]
    : [policy.body.spec.targetRef];

/** The distinct MeshSubset and Dataplane targetRefs of these policies: resolve each to services before building. */
export function dataplaneSelectors(policies: TopologyPolicy[]): TargetRef[] {
  const refs = new Map<string, TargetRef>();
  for (const ref of policies.flatMap(targetRefsOf)) if (selectsDataplanes(ref)) refs.set(selectorKey(ref), ref);
  return [...refs.values()];
}

/** A permission or route between two services, whatever zones they run in; drawn between their nodes. */
export interface ServiceEdge {
  kind: TopologyEdge["kind"];
  from: string;
  to: string;
  policies: PolicyName[];
}

/** The mesh's graph at service level: every node, and edges between services (not yet between nodes). */
export interface ServiceGraph {
  mesh: string;
  mtls: boolean;
  zones: ZoneNode[];
  /** Every service-in-zone node, by id. */
  nodes: ServiceNode[];
  edges: ServiceEdge[];
}

export function buildServiceGraph(input: TopologyInput): ServiceGraph {
  const nodes = new Map<string, ServiceNode>();
  const nodesByService = new Map<string, ServiceNode[]>();
  for (const service of input.services) {
    const inZones: ServiceNode[] = [];
    for (const { zone: known, healthy, total } of service.zones) {
      const zone = known ?? LOCAL_ZONE;
      const id = serviceId(zone, service.name);
      const node = nodes.get(id) ?? { id, service: service.name, zone, healthy: 0, total: 0, openToMesh: [] };
      node.healthy += healthy;
      node.total += total;
      if (!nodes.has(id)) inZones.push(node);
      nodes.set(id, node);
    }
    nodesByService.set(service.name, inZones);
  }
  const allServices = [...nodesByService.keys()];
  /** The service names a targetRef picks, or "mesh" for every service. */
  const selectedServices = (ref: TargetRef | undefined): string[] | "mesh" => {
    if (!ref || ref.kind === "Mesh") return "mesh";
    if (ref.kind === "MeshService" || ref.kind === "MeshServiceSubset") return nodesByService.has(serviceNameOf(ref)) ? [serviceNameOf(ref)] : [];
    if (selectsDataplanes(ref)) return input.selected.get(selectorKey(ref)) ?? [];
    return [];
  };
  const pick = (ref: TargetRef | undefined) => {
    const selected = selectedServices(ref);
    return selected === "mesh" ? allServices : selected;
  };

  const edges = new Map<string, ServiceEdge>();
  const connect = (kind: ServiceEdge["kind"], from: string, to: string, policy: PolicyName) => {
    if (!nodesByService.has(from) || !nodesByService.has(to)) return;
    const key = `${kind}:${from}->${to}`;
    const edge = edges.get(key) ?? { kind, from, to, policies: [] };
    if (!edge.policies.some((known) => known.type === policy.type && known.name === policy.name)) edge.policies.push(policy);
    edges.set(key, edge);
  };

  /** The services whose SPIFFE ID a `rules[].default` lets in (a deny wins), or "mesh" when it lets in any caller of the mesh. */
  const admittedBySpiffeId = ({ allow = [], allowWithShadowDeny = [], deny = [] }: SpiffeIdRule): string[] | "mesh" => {
    const allowing = [...allow, ...allowWithShadowDeny];
    const anyCaller = spiffeIdOf(input.mesh, "");
    if (deny.length === 0 && allowing.some((match) => match.spiffeID.type === "Prefix" && anyCaller.startsWith(match.spiffeID.value))) return "mesh";
    const admits = (service: string) => {
      const id = spiffeIdOf(input.mesh, service);
      return allowing.some((match) => spiffeIdMatches(match, id)) && !deny.some((match) => spiffeIdMatches(match, id));
    };
    return allServices.filter(admits);
  };

  for (const policy of input.policies) {
    const spec = policy.body.spec;
    if (policy.type === "MeshTrafficPermission") {
      const destinations = pick(policy.body.spec.targetRef);
      const sourceSets = [
        ...(policy.body.spec.from ?? []).filter((from) => ALLOWING.has(from.default.action)).map((from) => selectedServices(from.targetRef)),
        ...(policy.body.spec.rules ?? []).map((rule) => admittedBySpiffeId(rule.default)),
      ];
      for (const sources of sourceSets) {
        if (sources === "mesh") {
          for (const destination of destinations) for (const node of nodesByService.get(destination) ?? []) node.openToMesh.push(policy.name);
          continue;
        }
        for (const source of sources) for (const destination of destinations) connect("permits", source, destination, { type: policy.type, name: policy.name });
      }
      continue;
    }
    const sources = pick(spec.targetRef);
    for (const to of (spec as MeshHTTPRouteBody["spec"] | MeshTCPRouteBody["spec"]).to) {
      const backends = to.rules.flatMap((rule) => rule.default.backendRefs ?? []).map(serviceNameOf);
      for (const destination of backends.length > 0 ? backends : [serviceNameOf(to.targetRef)]) {
        for (const source of sources) connect("routes", source, destination, { type: policy.type, name: policy.name });
      }
    }
  }

  const zoneNames = new Set([...input.zones.map((zone) => zone.name), ...[...nodes.values()].map((node) => node.zone)]);
  const online = new Map(input.zones.map((zone) => [zone.name, zone.online]));
  return {
    mesh: input.mesh,
    mtls: input.mtls,
    zones: [...zoneNames].sort().map((name) => ({ id: zoneId(name), name, online: online.get(name) ?? name === LOCAL_ZONE })),
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.values()],
  };
}

/** The edges between the given nodes: each service edge drawn from every shown node of one to every shown node of the other. */
export function edgesBetween(graph: Pick<ServiceGraph, "mtls" | "edges">, shown: ServiceNode[]): TopologyEdge[] {
  const byService = new Map<string, ServiceNode[]>();
  for (const node of shown) byService.set(node.service, [...(byService.get(node.service) ?? []), node]);
  const edges: TopologyEdge[] = [];
  for (const edge of graph.edges) {
    const [sources, targets] = [byService.get(edge.from), byService.get(edge.to)];
    if (!sources || !targets) continue;
    for (const source of sources) {
      for (const target of targets) {
        if (source.id === target.id) continue;
        edges.push({
          id: `${edge.kind}:${source.id}->${target.id}`,
          source: source.id,
          target: target.id,
          kind: edge.kind,
          crossZone: source.zone !== target.zone,
          mtls: graph.mtls,
          policies: edge.policies,
        });
      }
    }
  }
  return edges.sort(byId);
}

/** The whole graph with an edge between every pair of connected nodes (small meshes, tests). */
export function buildTopology(input: TopologyInput): Topology {
  const graph = buildServiceGraph(input);
  return { mesh: graph.mesh, mtls: graph.mtls, zones: graph.zones, services: graph.nodes, edges: edgesBetween(graph, graph.nodes) };
}

/** Code-unit order: as stable as localeCompare across refreshes, and much cheaper over thousands of edges. */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
