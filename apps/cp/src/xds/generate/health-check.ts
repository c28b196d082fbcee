import type { HealthCheck } from "@zonemesh/xds";
import { isHttpProtocol } from "./catalog";
import { definedFields, kumaDuration } from "./envoy-values";
import { headerValueOptions } from "./header-values";
import type { Warn } from "./input";
import type { HealthCheckConf } from "./policy-confs";
import type { Merged } from "./resolved-policies";

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

/** MeshHealthCheck as an active health check: gRPC, HTTP or TCP after the service's protocol, unless disabled. */
export function healthCheck(merged: Merged<HealthCheckConf>, protocol: string, warn: Warn): HealthCheck | undefined {
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
