import { appendFile } from "node:fs";
import type { HealthCheck } from "@zonemesh/xds";
import { durationMs } from "./duration";
import type { UpstreamEndpoint } from "./endpoints";
import { compileProbe, type CheckerType, type Connect } from "./health-probes";

/** Health-check state kept on an endpoint across EDS updates. */
export interface ActiveHealth {
  failing: boolean;
  successes: number;
  failures: number;
}

/** How often new endpoints are looked for: their first check comes within this (plus initial_jitter). */
const discoveryMs = 1000;

/** Envoy's health check event log: one JSON object per line, for an ejection, a recovery, or (always_log_health_check_failures) each failure. */
function eventLogger(check: HealthCheck, type: CheckerType, clusterName: string): ((endpoint: UpstreamEndpoint, event: object) => void) | undefined {
  const path = check.event_log_path;
  if (!path) return undefined;
  return (endpoint, event) => {
    const line = { health_checker_type: type, host: { socket_address: { address: endpoint.host, port_value: endpoint.port } }, cluster_name: clusterName, ...event, timestamp: new Date().toISOString() };
    appendFile(path, `${JSON.stringify(line)}\n`, () => {});
  };
}

/** What health checks need of their cluster. */
export interface CheckedCluster {
  endpoints(): UpstreamEndpoint[];
  connect: Connect;
  hadTraffic(): boolean;
}

/**
 * Envoy's active health checking (HTTP, TCP connect with optional send/receive, or gRPC): an endpoint fails after
 * unhealthy_threshold failed checks in a row and recovers after healthy_threshold good ones. Endpoints count as
 * healthy until their first failures, so that a new cluster serves at once. Each endpoint is checked on its own
 * schedule: interval after its last check (no_traffic_interval until the cluster has had traffic, unhealthy_interval
 * while the endpoint fails), plus interval_jitter and interval_jitter_percent of the interval at random; its first
 * check comes after initial_jitter at random. Checks connect as the cluster does (Envoy uses the cluster's transport
 * socket: with mesh mTLS they pass the peer proxy's TLS and RBAC); one is put off while the cluster's secrets are
 * missing.
 */
export function startHealthChecks(check: HealthCheck, clusterName: string, cluster: CheckedCluster): () => void {
  const { endpoints, connect, hadTraffic } = cluster;
  const timeoutMs = durationMs(check.timeout, 1000);
  const { type, probe } = compileProbe(check, timeoutMs, connect, clusterName, check.reuse_connection?.value ?? true);
  const intervalMs = durationMs(check.interval, 10_000);
  const unhealthyIntervalMs = durationMs(check.unhealthy_interval, intervalMs);
  // Envoy's default is 60 s; here it applies only when given.
  const noTrafficIntervalMs = check.no_traffic_interval ? durationMs(check.no_traffic_interval, intervalMs) : undefined;
  const unhealthyThreshold = check.unhealthy_threshold?.value ?? 1;
  const healthyThreshold = check.healthy_threshold?.value ?? 1;
  const jitterMs = durationMs(check.interval_jitter, 0);
  const jitterShare = (check.interval_jitter_percent ?? 0) / 100;
  const initialJitterMs = durationMs(check.initial_jitter, 0);
  const logEvent = eventLogger(check, type, clusterName);
  // By host:port, since an EDS update brings new endpoint objects (sharing their health state) for the same hosts.
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const record = (endpoint: UpstreamEndpoint, passed: boolean, firstCheck: boolean) => {
    const health = endpoint.activeHealth;
    if (passed) {
      health.failures = 0;
      health.successes++;
      if (health.failing && health.successes >= healthyThreshold) {
        health.failing = false;
        logEvent?.(endpoint, { add_healthy_event: { first_check: firstCheck } });
      }
      return;
    }
    health.successes = 0;
    health.failures++;
    if (!health.failing && health.failures >= unhealthyThreshold) {
      health.failing = true;
      logEvent?.(endpoint, { eject_unhealthy_event: { failure_type: "ACTIVE" } });
    } else if (check.always_log_health_check_failures) logEvent?.(endpoint, { health_check_failure_event: { failure_type: "ACTIVE", first_check: firstCheck } });
  };
  const schedule = (key: string, delayMs: number, firstCheck: boolean) => {
    const timer = setTimeout(() => checkEndpoint(key, firstCheck), delayMs);
    timer.unref();
    timers.set(key, timer);
  };
  const nextDelay = (endpoint: UpstreamEndpoint) => {
    const base = noTrafficIntervalMs !== undefined && !hadTraffic() ? noTrafficIntervalMs : endpoint.activeHealth.failing ? unhealthyIntervalMs : intervalMs;
    return base + Math.random() * (jitterMs + base * jitterShare);
  };
  const checkEndpoint = (key: string, firstCheck: boolean) => {
    if (stopped) return;
    const endpoint = endpoints().find((candidate) => candidate.key === key);
    if (!endpoint) {
      timers.delete(key);
      probe.drop(key);
      return;
    }
    let checked: Promise<boolean>;
    try {
      checked = probe(endpoint);
    } catch {
      return schedule(key, intervalMs, firstCheck); // the cluster's secrets have not arrived yet
    }
    void checked.then((passed) => {
      if (stopped) return;
      record(endpoint, passed, firstCheck);
      schedule(key, nextDelay(endpoint), false);
    });
  };
  const discover = () => {
    for (const { key } of endpoints()) if (!timers.has(key)) schedule(key, Math.random() * initialJitterMs, true);
  };
  discover();
  const discovery = setInterval(discover, Math.min(discoveryMs, intervalMs));
  discovery.unref();
  return () => {
    stopped = true;
    clearInterval(discovery);
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    probe.close();
  };
}
