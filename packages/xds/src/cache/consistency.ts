import { typeUrls } from "../protos/type-urls";
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
 * Returns one line per dangling reference.
 */
export function findInconsistencies(snapshot: Snapshot): string[] {
  const problems: string[] = [];
  const endpointNames = snapshot.types.get(typeUrls.endpoint)?.resources ?? new Map();
  for (const cluster of resourcesOf<Cluster>(snapshot, typeUrls.cluster)) {
    if (cluster.type !== "EDS") continue;
    const serviceName = cluster.eds_cluster_config?.service_name || cluster.name;
    if (!endpointNames.has(serviceName)) problems.push(`cluster "${cluster.name}" uses EDS service "${serviceName}" but no ClusterLoadAssignment has that name`);
  }
  const routeNames = snapshot.types.get(typeUrls.route)?.resources ?? new Map();
  for (const listener of resourcesOf<Listener>(snapshot, typeUrls.listener)) {
    for (const hcm of connectionManagersOf(listener)) {
      const routeName = hcm.rds?.route_config_name;
      if (routeName !== undefined && !routeNames.has(routeName)) problems.push(`listener "${listener.name}" uses RDS route "${routeName}" but no RouteConfiguration has that name`);
    }
  }
  return problems;
}
