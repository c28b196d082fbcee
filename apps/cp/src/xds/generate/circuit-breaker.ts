import type { CircuitBreakerThresholds, Cluster, OutlierDetection } from "@zonemesh/xds";
import { definedFields, kumaDuration } from "./envoy-values";
import type { CircuitBreakerConf } from "./policy-confs";

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
