import type { ConfigSource, Duration, HealthCheck, Metadata, TransportSocket, Typed, UInt32Value } from "./core";
import type { ClusterLoadAssignment } from "./endpoint";

export interface CircuitBreakerThresholds {
  priority?: "DEFAULT" | "HIGH";
  max_connections?: UInt32Value;
  max_pending_requests?: UInt32Value;
  max_requests?: UInt32Value;
  max_retries?: UInt32Value;
  max_connection_pools?: UInt32Value;
}
export interface CircuitBreakers {
  thresholds?: CircuitBreakerThresholds[];
}

export interface OutlierDetection {
  consecutive_5xx?: UInt32Value;
  interval?: Duration;
  base_ejection_time?: Duration;
  max_ejection_percent?: UInt32Value;
  enforcing_consecutive_5xx?: UInt32Value;
  consecutive_gateway_failure?: UInt32Value;
  enforcing_consecutive_gateway_failure?: UInt32Value;
  split_external_local_origin_errors?: boolean;
  consecutive_local_origin_failure?: UInt32Value;
  enforcing_consecutive_local_origin_failure?: UInt32Value;
  max_ejection_time?: Duration;
  success_rate_minimum_hosts?: UInt32Value;
  success_rate_request_volume?: UInt32Value;
  success_rate_stdev_factor?: UInt32Value;
  enforcing_success_rate?: UInt32Value;
  failure_percentage_minimum_hosts?: UInt32Value;
  failure_percentage_request_volume?: UInt32Value;
  failure_percentage_threshold?: UInt32Value;
  enforcing_failure_percentage?: UInt32Value;
}

export type LbPolicy = "ROUND_ROBIN" | "LEAST_REQUEST" | "RING_HASH" | "RANDOM" | "MAGLEV" | "CLUSTER_PROVIDED" | "LOAD_BALANCING_POLICY_CONFIG";

export interface Cluster {
  name: string;
  type?: "STATIC" | "STRICT_DNS" | "LOGICAL_DNS" | "EDS" | "ORIGINAL_DST";
  eds_cluster_config?: { eds_config?: ConfigSource; service_name?: string };
  connect_timeout?: Duration;
  lb_policy?: LbPolicy;
  load_assignment?: ClusterLoadAssignment;
  /** STRICT_DNS / LOGICAL_DNS: which addresses of a hostname are used, and how often it is resolved again. */
  dns_lookup_family?: "AUTO" | "V4_ONLY" | "V6_ONLY" | "V4_PREFERRED" | "ALL";
  dns_refresh_rate?: Duration;
  health_checks?: HealthCheck[];
  circuit_breakers?: CircuitBreakers;
  outlier_detection?: OutlierDetection;
  transport_socket?: TransportSocket;
  /** Keyed by extension name, e.g. "envoy.extensions.upstreams.http.v3.HttpProtocolOptions". */
  typed_extension_protocol_options?: Record<string, Typed<object>>;
  ring_hash_lb_config?: { minimum_ring_size?: { value: number }; maximum_ring_size?: { value: number }; hash_function?: "XX_HASH" | "MURMUR_HASH_2" };
  least_request_lb_config?: { choice_count?: UInt32Value };
  maglev_lb_config?: { table_size?: UInt32Value };
  common_lb_config?: { locality_weighted_lb_config?: Record<string, never>; healthy_panic_threshold?: { value: number }; zone_aware_lb_config?: { fail_traffic_on_panic?: boolean } };
  per_connection_buffer_limit_bytes?: UInt32Value;
  metadata?: Metadata;
  alt_stat_name?: string;
}
