import { typeNames, typed, type CircuitBreakerThresholds, type Cluster, type Duration, type HealthCheck, type HttpProtocolOptions, type OutlierDetection, type Typed } from "@zonemesh/xds";
import { isHttp2Protocol, isHttpProtocol } from "./catalog";
import { adsConfigSource, definedFields, kumaDuration } from "./envoy-values";
import { headerValueOptions } from "./header-values";
import type { Warn } from "./input";
import type { CircuitBreakerConf, HealthCheckConf, LoadBalancingConf } from "./policy-confs";
import type { Merged, OutboundPolicies } from "./resolved-policies";
import { timeouts } from "./timeouts";
import { outboundTransportSocket } from "./tls";

/** `typed_extension_protocol_options` for an application spoken to in HTTP/2 (http2, grpc). */
export const http2ProtocolOptions = () => httpProtocolOptions(true);

/** `typed_extension_protocol_options` for an upstream spoken to in HTTP (HTTP/2 for http2/grpc), with the idle timeout. */
function httpProtocolOptions(http2: boolean, idleTimeout?: Duration): Record<string, Typed<object>> {
  const options: HttpProtocolOptions = {
    ...(idleTimeout ? { common_http_protocol_options: { idle_timeout: idleTimeout } } : {}),
    explicit_http_config: http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
  };
  return { [typeNames.httpProtocolOptions]: typed(typeNames.httpProtocolOptions, options) };
}

const wrap = (value: number | undefined) => (value === undefined ? undefined : { value });
const enforce = (enabled: boolean) => ({ value: enabled ? 100 : 0 });

function connectionLimits(limits: CircuitBreakerConf["connectionLimits"]): Pick<Cluster, "circuit_breakers"> {
  if (!limits) return {};
  const thresholds = definedFields<CircuitBreakerThresholds>({
    max_connections: wrap(limits.maxConnections),
    max_pending_requests: wrap(limits.maxPendingRequests),
    max_requests: wrap(limits.maxRequests),
    max_retries: wrap(limits.maxRetries),
    max_connection_pools: wrap(limits.maxConnectionPools),
  });
  return { circuit_breakers: { thresholds: [thresholds] } };
}

function outlierDetection(outlier: CircuitBreakerConf["outlierDetection"]): Pick<Cluster, "outlier_detection"> {
  if (!outlier || outlier.disabled) return {};
  const detectors = outlier.detectors ?? {};
  // A detector that is not configured is not enforced (Envoy would otherwise enforce consecutive 5xx by default).
  const detection = definedFields<OutlierDetection>({
    interval: outlier.interval ? kumaDuration(outlier.interval) : undefined,
    base_ejection_time: outlier.baseEjectionTime ? kumaDuration(outlier.baseEjectionTime) : undefined,
    max_ejection_percent: wrap(outlier.maxEjectionPercent),
    split_external_local_origin_errors: outlier.splitExternalAndLocalErrors || undefined,
    consecutive_5xx: wrap(detectors.totalFailures?.consecutive),
    enforcing_consecutive_5xx: enforce(detectors.totalFailures !== undefined),
    consecutive_gateway_failure: wrap(detectors.gatewayFailures?.consecutive),
    enforcing_consecutive_gateway_failure: enforce(detectors.gatewayFailures !== undefined),
    consecutive_local_origin_failure: wrap(detectors.localOriginFailures?.consecutive),
    enforcing_consecutive_local_origin_failure: enforce(detectors.localOriginFailures !== undefined),
    success_rate_minimum_hosts: wrap(detectors.successRate?.minimumHosts),
    success_rate_request_volume: wrap(detectors.successRate?.requestVolume),
    // Envoy takes the factor in thousandths.
    success_rate_stdev_factor: wrap(detectors.successRate?.standardDeviationFactor === undefined ? undefined : Math.round(Number(detectors.successRate.standardDeviationFactor) * 1000)),
    enforcing_success_rate: enforce(detectors.successRate !== undefined),
    failure_percentage_minimum_hosts: wrap(detectors.failurePercentage?.minimumHosts),
    failure_percentage_request_volume: wrap(detectors.failurePercentage?.requestVolume),
    failure_percentage_threshold: wrap(detectors.failurePercentage?.threshold),
    enforcing_failure_percentage: enforce(detectors.failurePercentage !== undefined),
  });
  return { outlier_detection: detection };
}

/** MeshCircuitBreaker's connection limits and outlier detection as cluster settings. */
export function circuitBreakerSettings(conf: CircuitBreakerConf): Partial<Cluster> {
  return { ...connectionLimits(conf.connectionLimits), ...outlierDetection(conf.outlierDetection) };
}

/** Kuma's MeshHealthCheck defaults. */
const healthCheckDefaults = { interval: "1m", timeout: "15s", unhealthyThreshold: 5, healthyThreshold: 1 };

function healthChecker(conf: HealthCheckConf, protocol: string): Partial<HealthCheck> | undefined {
  if (protocol === "grpc" && !conf.grpc?.disabled) {
    return { grpc_health_check: definedFields({ service_name: conf.grpc?.serviceName, authority: conf.grpc?.authority }) };
  }
  if (isHttpProtocol(protocol) && !conf.http?.disabled) {
    const http = conf.http ?? {};
    const headers = http.requestHeadersToAdd ? headerValueOptions(http.requestHeadersToAdd) : [];
    const checker = definedFields<NonNullable<HealthCheck["http_health_check"]>>({
      path: http.path ?? "/",
      expected_statuses: http.expectedStatuses?.map((status) => ({ start: status, end: status + 1 })),
      request_headers_to_add: headers.length > 0 ? headers : undefined,
    });
    return { http_health_check: checker };
  }
  if (!conf.tcp?.disabled) {
    // Kuma's send/receive payloads are base64, which is how bytes are written in plain objects.
    const tcp = definedFields<NonNullable<HealthCheck["tcp_health_check"]>>({
      send: conf.tcp?.send ? { binary: conf.tcp.send } : undefined,
      receive: conf.tcp?.receive?.map((binary) => ({ binary })),
    });
    return { tcp_health_check: tcp };
  }
  return undefined;
}

function healthCheck(merged: Merged<HealthCheckConf>, protocol: string, warn: Warn): HealthCheck | undefined {
  const conf = merged.conf;
  const checker = healthChecker(conf, protocol);
  if (!checker) {
    warn(merged.origins, `no health checker is enabled for a ${protocol} service`);
    return undefined;
  }
  const optionalDuration = (value: string | undefined) => (value ? kumaDuration(value) : undefined);
  return definedFields<HealthCheck>({
    timeout: kumaDuration(conf.timeout ?? healthCheckDefaults.timeout),
    interval: kumaDuration(conf.interval ?? healthCheckDefaults.interval),
    unhealthy_threshold: { value: conf.unhealthyThreshold ?? healthCheckDefaults.unhealthyThreshold },
    healthy_threshold: { value: conf.healthyThreshold ?? healthCheckDefaults.healthyThreshold },
    unhealthy_interval: optionalDuration(conf.unhealthyInterval),
    no_traffic_interval: optionalDuration(conf.noTrafficInterval),
    initial_jitter: optionalDuration(conf.initialJitter),
    interval_jitter: optionalDuration(conf.intervalJitter),
    interval_jitter_percent: conf.intervalJitterPercent,
    reuse_connection: conf.reuseConnection === undefined ? undefined : { value: conf.reuseConnection },
    event_log_path: conf.eventLogPath,
    always_log_health_check_failures: conf.alwaysLogHealthCheckFailures,
    ...checker,
  });
}

const lbPolicies = { RoundRobin: undefined, LeastRequest: "LEAST_REQUEST", RingHash: "RING_HASH", Random: "RANDOM", Maglev: "MAGLEV" } as const;

function loadBalancer(merged: Merged<LoadBalancingConf>, warn: Warn): Partial<Cluster> {
  const locality = merged.conf.localityAwareness;
  if (!locality?.disabled && (locality?.localZone || locality?.crossZone)) {
    warn(merged.origins, "localityAwareness localZone affinity tags and crossZone failover are not supported: the local zone is preferred, then any other zone");
  }
  const balancer = merged.conf.loadBalancer;
  if (!balancer) return {};
  const policy = lbPolicies[balancer.type];
  const cluster: Partial<Cluster> & { maglev_lb_config?: object } = policy ? { lb_policy: policy } : {};
  if (balancer.type === "LeastRequest" && balancer.leastRequest?.choiceCount) cluster.least_request_lb_config = { choice_count: { value: balancer.leastRequest.choiceCount } };
  if (balancer.type === "RingHash" && balancer.ringHash) {
    const ring = balancer.ringHash;
    cluster.ring_hash_lb_config = {
      ...(ring.minRingSize ? { minimum_ring_size: { value: ring.minRingSize } } : {}),
      ...(ring.maxRingSize ? { maximum_ring_size: { value: ring.maxRingSize } } : {}),
      ...(ring.hashFunction === "MurmurHash2" ? { hash_function: "MURMUR_HASH_2" as const } : {}),
    } as Cluster["ring_hash_lb_config"];
  }
  if (balancer.type === "Maglev" && balancer.maglev?.tableSize) cluster.maglev_lb_config = { table_size: { value: balancer.maglev.tableSize } };
  return cluster;
}

/** Below the healthy panic threshold Envoy balances over all hosts, healthy or not, unless told to fail instead. */
function commonLbConfig(healthyPanicThreshold: number | undefined, failTrafficOnPanic: boolean | undefined): Pick<Cluster, "common_lb_config"> {
  if (healthyPanicThreshold === undefined && !failTrafficOnPanic) return {};
  const config = definedFields<NonNullable<Cluster["common_lb_config"]>>({
    healthy_panic_threshold: healthyPanicThreshold === undefined ? undefined : { value: healthyPanicThreshold },
    zone_aware_lb_config: failTrafficOnPanic ? { fail_traffic_on_panic: true } : undefined,
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

/** An EDS cluster for a service (or a subset of it) with the policies that target the service. */
export function outboundCluster(spec: OutboundClusterSpec, policies: OutboundPolicies, mesh: string, mtls: boolean, warn: Warn): Cluster {
  const outlier = policies.circuitBreaker?.conf.outlierDetection;
  const panicThreshold = outlier && !outlier.disabled && outlier.healthyPanicThreshold !== undefined ? Number(outlier.healthyPanicThreshold) : undefined;
  const check = policies.healthCheck && healthCheck(policies.healthCheck, spec.protocol, warn);
  const clusterTimeouts = timeouts(policies.timeout);
  const cluster: Cluster = {
    name: spec.name,
    type: "EDS",
    eds_cluster_config: { eds_config: adsConfigSource },
    connect_timeout: clusterTimeouts.connect,
    ...(policies.loadBalancing ? loadBalancer(policies.loadBalancing, warn) : {}),
    ...(check ? { health_checks: [check] } : {}),
    ...(policies.circuitBreaker ? circuitBreakerSettings(policies.circuitBreaker.conf) : {}),
    ...commonLbConfig(panicThreshold, policies.healthCheck?.conf.failTrafficOnPanic),
    ...(mtls ? { transport_socket: outboundTransportSocket(mesh, spec.service, spec.tags) } : {}),
    ...(isHttpProtocol(spec.protocol) ? { typed_extension_protocol_options: httpProtocolOptions(isHttp2Protocol(spec.protocol), clusterTimeouts.idle) } : {}),
  };
  return cluster;
}
