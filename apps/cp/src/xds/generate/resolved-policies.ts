import type { Matcher, PolicyRef, SpiffeIdMatch } from "@zonemesh/resources";
import type {
  AccessLogConf,
  CircuitBreakerConf,
  FaultInjectionConf,
  HealthCheckConf,
  HttpRouteRule,
  LoadBalancingConf,
  MetricConf,
  RateLimitConf,
  RetryConf,
  TcpRouteRule,
  TimeoutConf,
  TlsConf,
  TrafficPermissionConf,
  TrafficPermissionRulesConf,
} from "./policy-confs";

// What generation needs to know about the policies that select one proxy, already matched and merged.
// proxy-policies.ts fills it from the resources package's matcher; the translators only read it.

export interface Merged<T> {
  conf: T;
  /** The policies whose confs were merged, for warnings. */
  origins: PolicyRef[];
}

/**
 * An inbound (`from`) rule: the conf for callers having every tag of `matchers` (none: every caller).
 * Rules come most specific first and a caller gets the first rule it matches.
 */
export interface FromRule<T> {
  matchers: Matcher[];
  conf: T;
  origins: PolicyRef[];
}

export interface OutboundPolicies {
  /** The destination's MeshHTTPRoute rules, merged across policies (rules with equal matches are one). */
  httpRoutes?: Merged<HttpRouteRule[]>;
  /** The destination's MeshTCPRoute rule. */
  tcpRoute?: Merged<TcpRouteRule>;
  timeout?: Merged<TimeoutConf>;
  /** MeshTimeout for the requests of one MeshHTTPRoute rule (policies may target a route); `timeout` where none does. */
  routeTimeout(matches: HttpRouteRule["matches"]): Merged<TimeoutConf> | undefined;
  retry?: Merged<RetryConf>;
  /** MeshRetry for the requests of one MeshHTTPRoute rule; `retry` where no policy targets the route. */
  routeRetry(matches: HttpRouteRule["matches"]): Merged<RetryConf> | undefined;
  circuitBreaker?: Merged<CircuitBreakerConf>;
  healthCheck?: Merged<HealthCheckConf>;
  loadBalancing?: Merged<LoadBalancingConf>;
  accessLog?: Merged<AccessLogConf>;
}

export interface InboundPolicies {
  trafficPermission: FromRule<TrafficPermissionConf>[];
  /** MeshTrafficPermission `rules` (Kuma 2.12+): callers by SPIFFE ID, every selecting policy's lists together. */
  trafficPermissionBySpiffeId?: Merged<TrafficPermissionRulesConf>;
  faultInjection: FromRule<FaultInjectionConf>[];
  /** MeshFaultInjection `rules` with `matches` (Kuma 2.13+): faults for the callers of those SPIFFE IDs. */
  faultInjectionBySpiffeId: { matches: SpiffeIdMatch[]; conf: FaultInjectionConf; origins: PolicyRef[] }[];
  rateLimit: FromRule<RateLimitConf>[];
  timeout?: Merged<TimeoutConf>;
  accessLog?: Merged<AccessLogConf>;
  /** Limits on the local application's cluster. */
  circuitBreaker?: Merged<CircuitBreakerConf>;
  /** MeshTLS: TLS versions, ciphers and mTLS mode of the inbound. */
  tls?: Merged<TlsConf>;
}

export interface ProxyPolicies {
  /** MeshMetric: how the proxy exposes its metrics. */
  metric?: Merged<MetricConf>;
  /** Equal for proxies whose outbound policies are the same: then `outbound(service)` gives them equal confs. */
  outboundKey: string;
  outbound(service: string): OutboundPolicies;
  inbound(inbound: { port: number }): InboundPolicies;
  /** Equal for inbounds whose policies are equal (their content, for any proxy and mesh view): then `inbound` gives equal confs. */
  inboundKey(inbound: { port: number }): string;
}
