import http from "node:http";
import type net from "node:net";
import tls from "node:tls";
import type { HealthCheck } from "@zonemesh/xds";
import { durationMs } from "./duration";
import type { UpstreamEndpoint } from "./endpoints";

/** Health-check state kept on an endpoint across EDS updates. */
export interface ActiveHealth {
  failing: boolean;
  successes: number;
  failures: number;
}

/** Opens a connection to an endpoint as the cluster does (mTLS when it has a TLS transport socket); throws while its secrets are missing. */
export type Connect = (host: string, port: number) => net.Socket;

function probeHttp(endpoint: UpstreamEndpoint, check: NonNullable<HealthCheck["http_health_check"]>, timeoutMs: number, connect: Connect): Promise<boolean> {
  const expected = check.expected_statuses?.length ? check.expected_statuses : [{ start: 200, end: 201 }];
  const socket = connect(endpoint.host, endpoint.port);
  return new Promise((resolve) => {
    const headers = { host: check.host ?? endpoint.host, "user-agent": "zonemesh-dp-health-check" };
    // Without an agent, so that the request goes over `socket` (an agent, even `agent: false`, opens its own).
    const request = http.get({ host: endpoint.host, port: endpoint.port, path: check.path, headers, timeout: timeoutMs, createConnection: () => socket }, (response) => {
      response.resume().once("end", () => socket.destroy());
      const status = response.statusCode ?? 0;
      resolve(expected.some((range) => status >= range.start && status < range.end));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

function probeTcp(endpoint: UpstreamEndpoint, timeoutMs: number, connect: Connect): Promise<boolean> {
  const socket = connect(endpoint.host, endpoint.port);
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    // A TLS socket is up once its handshake (peer verified) is done, a plain one once connected.
    socket.once(socket instanceof tls.TLSSocket ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * Envoy's active health checking (HTTP or TCP connect): an endpoint fails after unhealthy_threshold failed probes in
 * a row and recovers after healthy_threshold good ones. Endpoints count as healthy until their first failures,
 * so that a new cluster serves at once. Probes connect as the cluster does (Envoy uses the cluster's transport socket:
 * with mesh mTLS they pass the peer proxy's TLS and RBAC); a round is skipped while the cluster's secrets are missing.
 */
export function startHealthChecks(check: HealthCheck, endpoints: () => UpstreamEndpoint[], clusterName: string, connect: Connect): () => void {
  if (check.grpc_health_check) throw new Error(`cluster ${clusterName}: grpc_health_check is not supported`);
  const timeoutMs = durationMs(check.timeout, 1000);
  const unhealthyThreshold = check.unhealthy_threshold?.value ?? 1;
  const healthyThreshold = check.healthy_threshold?.value ?? 1;
  const probe = check.http_health_check ? (endpoint: UpstreamEndpoint) => probeHttp(endpoint, check.http_health_check!, timeoutMs, connect) : (endpoint: UpstreamEndpoint) => probeTcp(endpoint, timeoutMs, connect);
  const round = () => {
    for (const endpoint of endpoints()) {
      let probed: Promise<boolean>;
      try {
        probed = probe(endpoint);
      } catch {
        return; // the cluster's secrets have not arrived yet
      }
      void probed.then((passed) => {
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
