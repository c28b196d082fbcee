import type { Address, Locality, Metadata, UInt32Value, Duration } from "./core";

export type HealthStatus = "UNKNOWN" | "HEALTHY" | "UNHEALTHY" | "DRAINING" | "TIMEOUT" | "DEGRADED";

export interface LbEndpoint {
  endpoint?: { address?: Address; hostname?: string; health_check_config?: { port_value?: number } };
  health_status?: HealthStatus;
  metadata?: Metadata;
  load_balancing_weight?: UInt32Value;
}

export interface LocalityLbEndpoints {
  locality?: Locality;
  lb_endpoints?: LbEndpoint[];
  /** grpc-js-xds ignores a locality without a weight. */
  load_balancing_weight?: UInt32Value;
  priority?: number;
  metadata?: Metadata;
}

export interface ClusterLoadAssignment {
  cluster_name: string;
  endpoints?: LocalityLbEndpoints[];
  policy?: { overprovisioning_factor?: UInt32Value; endpoint_stale_after?: Duration };
}
