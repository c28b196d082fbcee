import { typeUrls, type TypeUrl } from "../protos/type-urls";
import { typeNames } from "../types/type-names";
import type { Cluster, FilterChain, HttpConnectionManager, Listener, Typed } from "../types/index";
import type { Snapshot } from "./snapshot";

const hcmTypeUrl = `type.googleapis.com/${typeNames.httpConnectionManager}`;

function resourcesOf<T>(snapshot: Snapshot, typeUrl: string): T[] {
  return [...(snapshot.types.get(typeUrl as never)?.resources.values() ?? [])].map((r) => r.resource as T);
}

function connectionManagersOf(listener: Listener): HttpConnectionManager[] {
  const chains: FilterChain[] = [...(listener.filter_chains ?? []), ...(listener.default_filter_chain ? [listener.default_filter_chain] : [])];
  const configs: (Typed<object> | undefined)[] = [...chains.flatMap((chain) => (chain.filters ?? []).map((f) => f.typed_config)), listener.api_listener?.api_listener];
  return configs.filter((c): c is Typed<HttpConnectionManager> => c?.["@type"] === hcmTypeUrl);
}

/**
 * What go-control-plane checks before it accepts a snapshot: every EDS cluster has its
 * ClusterLoadAssignment and every RDS route name a listener uses has its RouteConfiguration.
 * Returns one line per dangling reference. With `previous` (a snapshot that passed), a check whose inputs did not change
 * is skipped: a push that changes only routes, say, leaves every cluster and listener as it was.
 */
export function findInconsistencies(snapshot: Snapshot, previous?: Snapshot): string[] {
  const problems: string[] = [];
  const endpointNames = snapshot.types.get(typeUrls.endpoint)?.resources ?? new Map();
  const clustersAsBefore = unchanged(snapshot, previous, typeUrls.cluster) && unchanged(snapshot, previous, typeUrls.endpoint);
  for (const cluster of clustersAsBefore ? [] : resourcesOf<Cluster>(snapshot, typeUrls.cluster)) {
    if (cluster.type !== "EDS") continue;
    const serviceName = cluster.eds_cluster_config?.service_name || cluster.name;
    if (!endpointNames.has(serviceName)) problems.push(`cluster "${cluster.name}" uses EDS service "${serviceName}" but no ClusterLoadAssignment has that name`);
  }
  const routeNames = snapshot.types.get(typeUrls.route)?.resources ?? new Map();
  const listenersAsBefore = unchanged(snapshot, previous, typeUrls.listener) && sameNames(routeNames, previous?.types.get(typeUrls.route)?.resources ?? new Map());
  for (const listener of listenersAsBefore ? [] : resourcesOf<Listener>(snapshot, typeUrls.listener)) {
    for (const hcm of connectionManagersOf(listener)) {
      const routeName = hcm.rds?.route_config_name;
      if (routeName !== undefined && !routeNames.has(routeName)) problems.push(`listener "${listener.name}" uses RDS route "${routeName}" but no RouteConfiguration has that name`);
    }
  }
  return problems;
}

function unchanged(snapshot: Snapshot, previous: Snapshot | undefined, typeUrl: TypeUrl): boolean {
  return previous !== undefined && snapshot.types.get(typeUrl) === previous.types.get(typeUrl);
}

function sameNames(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const name of a.keys()) if (!b.has(name)) return false;
  return true;
}
