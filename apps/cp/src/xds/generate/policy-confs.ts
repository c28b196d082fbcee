import type {
  MeshAccessLogBody,
  MeshCircuitBreakerBody,
  MeshFaultInjectionBody,
  MeshHealthCheckBody,
  MeshHTTPRouteBody,
  MeshLoadBalancingStrategyBody,
  MeshMetricBody,
  MeshRateLimitBody,
  MeshRetryBody,
  MeshTCPRouteBody,
  MeshTimeoutBody,
  MeshTLSBody,
  MeshTrafficPermissionBody,
} from "@zonemesh/resources";

// The `default` confs of each policy type, as the resources package's schemas define them.
type ToDefault<B extends { spec: { to?: { default: unknown }[] } }> = NonNullable<B["spec"]["to"]>[number]["default"];
type FromDefault<B extends { spec: { from?: { default: unknown }[] } }> = NonNullable<B["spec"]["from"]>[number]["default"];

export type TimeoutConf = ToDefault<MeshTimeoutBody>;
export type RetryConf = ToDefault<MeshRetryBody>;
export type CircuitBreakerConf = ToDefault<MeshCircuitBreakerBody>;
export type HealthCheckConf = ToDefault<MeshHealthCheckBody>;
export type LoadBalancingConf = ToDefault<MeshLoadBalancingStrategyBody>;
export type AccessLogConf = ToDefault<MeshAccessLogBody>;
export type TrafficPermissionConf = FromDefault<MeshTrafficPermissionBody>;
export type TrafficPermissionRulesConf = NonNullable<MeshTrafficPermissionBody["spec"]["rules"]>[number]["default"];
export type FaultInjectionConf = FromDefault<MeshFaultInjectionBody>;
export type RateLimitConf = FromDefault<MeshRateLimitBody>;
export type TlsConf = FromDefault<MeshTLSBody>;
export type MetricConf = MeshMetricBody["spec"]["default"];

export type HttpRouteRule = NonNullable<MeshHTTPRouteBody["spec"]["to"]>[number]["rules"][number];
export type HttpRouteMatch = HttpRouteRule["matches"][number];
export type HttpRouteFilter = NonNullable<HttpRouteRule["default"]["filters"]>[number];
export type BackendRef = NonNullable<HttpRouteRule["default"]["backendRefs"]>[number];
export type TcpRouteRule = NonNullable<MeshTCPRouteBody["spec"]["to"]>[number]["rules"][number];
