import http from "node:http";
import net from "node:net";
import type { HealthCheck } from "@zonemesh/xds";
import { durationMs } from "./duration";
import type { UpstreamEndpoint } from "./endpoints";

/** Health-check state kept on an endpoint across EDS updates. */
export interface ActiveHealth {
  failing: boolean;
  successes: number;
  failures: number;
}

function probeHttp(endpoint: UpstreamEndpoint, check: NonNullable<HealthCheck["http_health_check"]>, timeoutMs: number): Promise<boolean> {
  const expected = check.expected_statuses?.length ? check.expected_statuses : [{ start: 200, end: 201 }];
  return new Promise((resolve) => {
    const request = http.get({ host: endpoint.host, port: endpoint.port, path: check.path, headers: { host: check.host ?? endpoint.host, "user-agent": "zonemesh-dp-health-check" }, agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(expected.some((range) => status >= range.start && status < range.end));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

function probeTcp(endpoint: UpstreamEndpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => socket.destroy());
    socket.once("error", () => resolve(false));
    socket.once("close", () => resolve(false));
  });
}

/**
 * Envoy's active health checking (HTTP or TCP connect): an endpoint fails after unhealthy_threshold failed probes in
 * a row and recovers after healthy_threshold good ones. Endpoints count as healthy until their first failures,
 * so that a new cluster serves at once. Probes go to the endpoint directly, without the cluster's TLS.
 */
export function startHealthChecks(check: HealthCheck, endpoints: () => UpstreamEndpoint[], clusterName: string): () => void {
  if (check.grpc_health_check) throw new Error(`cluster ${clusterName}: grpc_health_check is not supported`);
  const timeoutMs = durationMs(check.timeout, 1000);
  const unhealthyThreshold = check.unhealthy_threshold?.value ?? 1;
  const healthyThreshold = check.healthy_threshold?.value ?? 1;
  const probe = check.http_health_check ? (endpoint: UpstreamEndpoint) => probeHttp(endpoint, check.http_health_check!, timeoutMs) : (endpoint: UpstreamEndpoint) => probeTcp(endpoint, timeoutMs);
  const round = () => {
    for (const endpoint of endpoints()) {
      void probe(endpoint).then((passed) => {
        const health = endpoint.activeHealth;
        if (passed) {
          health.failures = 0;
          health.successes++;
          if (health.failing && health.successes >= healthyThreshold) health.failing = false;
        } else {
          health.successes = 0;
          health.failures++;
          if (health.failures >= unhealthyThreshold) health.failing = true;
        }
      });
    }
  };
  round();
  const timer = setInterval(round, durationMs(check.interval, 10_000));
  timer.unref();
  return () => clearInterval(timer);
}
