import { typeNames, typed, type Cluster, type HttpProtocolOptions, type Typed } from "@zonemesh/xds";
import { isHttp2Protocol, isHttpProtocol, type ExternalTarget } from "./catalog";
import { circuitBreakerSettings } from "./circuit-breaker";
import { adsConfigSource, definedFields } from "./envoy-values";
import { externalClusterFields } from "./external-cluster";
import { healthCheck } from "./health-check";
import type { Warn } from "./input";
import { loadBalancer } from "./load-balancer";
import type { OutboundPolicies } from "./resolved-policies";
import { timeouts, type Timeouts } from "./timeouts";
import { outboundTransportSocket } from "./tls";

/** `typed_extension_protocol_options` for an application spoken to in HTTP/2 (http2, grpc). */
export const http2ProtocolOptions = () => httpProtocolOptions(true);

/** `typed_extension_protocol_options` for an upstream spoken to in HTTP (HTTP/2 for http2/grpc), with its connections' lifetime. */
function httpProtocolOptions(http2: boolean, lifetime?: Pick<Timeouts, "idle" | "maxConnectionDuration">): Record<string, Typed<object>> {
  const options: HttpProtocolOptions = {
    ...(lifetime
      ? { common_http_protocol_options: { idle_timeout: lifetime.idle, ...(lifetime.maxConnectionDuration ? { max_connection_duration: lifetime.maxConnectionDuration } : {}) } }
      : {}),
    explicit_http_config: http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
  };
  return { [typeNames.httpProtocolOptions]: typed(typeNames.httpProtocolOptions, options) };
}

/**
 * Below the healthy panic threshold Envoy balances over all hosts, healthy or not, unless told to fail instead.
 * `localityWeighted`: localities share their priority's requests by weight (the local zone's affinity groups).
 */
function commonLbConfig(healthyPanicThreshold: number | undefined, failTrafficOnPanic: boolean | undefined, localityWeighted: boolean): Pick<Cluster, "common_lb_config"> {
  if (healthyPanicThreshold === undefined && !failTrafficOnPanic && !localityWeighted) return {};
  const config = definedFields<NonNullable<Cluster["common_lb_config"]>>({
    healthy_panic_threshold: healthyPanicThreshold === undefined ? undefined : { value: healthyPanicThreshold },
    // Envoy takes one of the two: fail_traffic_on_panic wins, as the affinity groups only weigh the local zone's hosts.
    zone_aware_lb_config: failTrafficOnPanic ? { fail_traffic_on_panic: true } : undefined,
    locality_weighted_lb_config: localityWeighted && !failTrafficOnPanic ? {} : undefined,
  });
  return { common_lb_config: config };
}

export interface OutboundClusterSpec {
  name: string;
  service: string;
  /** Tags of a subset of the service's endpoints (empty for the whole service). */
  tags: Record<string, string>;
  protocol: string;
}

/**
 * An EDS cluster for a service (or a subset of it) with the policies that target the service; for an ExternalService
 * (`external`) its address instead of EDS, and its own TLS instead of the mesh's mTLS.
 */
export function outboundCluster(spec: OutboundClusterSpec, policies: OutboundPolicies, mesh: string, mtls: boolean, warn: Warn, external?: ExternalTarget): Cluster {
  const outlier = policies.circuitBreaker?.conf.outlierDetection;
  // MeshCircuitBreaker's outlier detection and MeshHealthCheck both set Envoy's one healthy panic threshold.
  const outlierThreshold = outlier && !outlier.disabled ? outlier.healthyPanicThreshold : undefined;
  const threshold = outlierThreshold ?? policies.healthCheck?.conf.healthyPanicThreshold;
  const panicThreshold = threshold === undefined ? undefined : Number(threshold);
  const check = policies.healthCheck && healthCheck(policies.healthCheck, spec.protocol, warn);
  const clusterTimeouts = timeouts(policies.timeout);
  const cluster: Cluster = {
    name: spec.name,
    ...(external ? externalClusterFields(spec.name, external) : { type: "EDS", eds_cluster_config: { eds_config: adsConfigSource } }),
    connect_timeout: clusterTimeouts.connect,
    ...(policies.loadBalancing ? loadBalancer(policies.loadBalancing.conf) : {}),
    ...(check ? { health_checks: [check] } : {}),
    ...(policies.circuitBreaker ? circuitBreakerSettings(policies.circuitBreaker.conf) : {}),
    ...commonLbConfig(panicThreshold, policies.healthCheck?.conf.failTrafficOnPanic, (policies.loadBalancing?.conf.localityAwareness?.localZone?.affinityTags?.length ?? 0) > 0),
    ...(mtls && !external ? { transport_socket: outboundTransportSocket(mesh, spec.service, spec.tags) } : {}),
    ...(isHttpProtocol(spec.protocol) ? { typed_extension_protocol_options: httpProtocolOptions(isHttp2Protocol(spec.protocol), clusterTimeouts) } : {}),
  };
  return cluster;
}
