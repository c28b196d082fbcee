import type { ClusterLoadAssignment, Secret } from "@zonemesh/xds";
import type { ClusterRuntime } from "./cluster";
import type { RouteTable } from "./http/route-table";
import type { Stats } from "./stats";

/**
 * The engine's current state, read by listeners at connection and request time: a new RDS, CDS, EDS or SDS
 * update takes effect on the next request without touching listeners.
 */
export interface Runtime {
  clusters: ReadonlyMap<string, ClusterRuntime>;
  endpoints: ReadonlyMap<string, ClusterLoadAssignment>;
  routes: ReadonlyMap<string, RouteTable>;
  secrets: ReadonlyMap<string, Secret>;
  stats: Stats;
}
