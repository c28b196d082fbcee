import type net from "node:net";
import type { TcpProxy } from "@zonemesh/xds";
import { compileAccessLogs } from "./access-log";
import { durationMs } from "./duration";
import type { UpstreamEndpoint } from "./endpoints";
import { PoolOverflow } from "./pool-budget";
import type { Runtime } from "./runtime";
import { weightedChoice } from "./weighted-choice";

function compilePickCluster(config: TcpProxy, path: string): () => string {
  if (config.cluster !== undefined) {
    const cluster = config.cluster;
    return () => cluster;
  }
  return weightedChoice(config.weighted_clusters?.clusters ?? [], `${path}: weighted_clusters`);
}

/** Envoy's TcpProxy: one upstream connection per downstream one, up to max_connect_attempts hosts tried. */
export function compileTcpProxy(config: TcpProxy, path: string, runtime: () => Runtime): (downstream: net.Socket) => void {
  const pickCluster = compilePickCluster(config, path);
  const idleMs = durationMs(config.idle_timeout, 3_600_000);
  const maxAttempts = config.max_connect_attempts?.value ?? 1;
  const writeAccessLog = compileAccessLogs(config.access_log, path);
  return (downstream) => {
    const current = runtime();
    const startTime = new Date();
    let upstreamHost: string | undefined;
    let responseFlags = "-";
    downstream.once("close", () =>
      writeAccessLog({ startTime, durationMs: Date.now() - startTime.getTime(), bytesReceived: downstream.bytesRead, bytesSent: downstream.bytesWritten, upstreamHost, responseFlags }),
    );
    const clusterName = pickCluster();
    downstream.pause();
    downstream.on("error", () => {});
    downstream.setTimeout(idleMs, () => downstream.destroy());
    let upstream: net.Socket | undefined;
    downstream.on("close", () => upstream?.destroy());
    const connect = (attempt: number, previous?: UpstreamEndpoint) => {
      const cluster = current.clusters.get(clusterName);
      const endpoint = cluster?.pick(previous);
      if (!cluster || !endpoint) {
        current.stats.add("tcp_upstream_cx_none_healthy_total", { stat_prefix: config.stat_prefix });
        responseFlags = "UH";
        downstream.destroy();
        return;
      }
      if (!cluster.startConnection()) {
        current.stats.add("tcp_upstream_cx_overflow_total", { stat_prefix: config.stat_prefix });
        responseFlags = "UO";
        downstream.destroy();
        return;
      }
      let socket: net.Socket;
      try {
        socket = upstream = cluster.connectForTraffic(endpoint.host, endpoint.port);
      } catch (error) {
        cluster.endConnection();
        if (error instanceof PoolOverflow) {
          current.stats.add("tcp_upstream_cx_pool_overflow_total", { stat_prefix: config.stat_prefix });
          responseFlags = "UO";
        }
        downstream.destroy();
        return;
      }
      let connected = false;
      let timedOut = false;
      const connectTimer = setTimeout(() => {
        timedOut = true;
        socket.destroy();
      }, cluster.connectTimeoutMs);
      socket.once("connect", () => {
        connected = true;
        cluster.recordResult(endpoint, { localOrigin: "connected" });
        upstreamHost = `${endpoint.host}:${endpoint.port}`;
        clearTimeout(connectTimer);
        current.stats.add("tcp_upstream_cx_total", { stat_prefix: config.stat_prefix, cluster: clusterName });
        socket.pipe(downstream);
        downstream.pipe(socket);
        downstream.resume();
      });
      socket.on("close", () => {
        clearTimeout(connectTimer);
        cluster.endConnection();
        // Not when the downstream went away first and took the connection attempt with it.
        if (!connected && !downstream.destroyed) cluster.recordResult(endpoint, { localOrigin: timedOut ? "timeout" : "failure" });
        if (!connected && attempt < maxAttempts && !downstream.destroyed) connect(attempt + 1, endpoint);
        else {
          if (!connected) responseFlags = "UF";
          downstream.destroy();
        }
      });
      socket.on("error", () => {});
      socket.setTimeout(idleMs, () => socket.destroy());
    };
    const resolving = current.clusters.get(clusterName)?.firstResolution();
    if (resolving) {
      void resolving.then(() => {
        if (!downstream.destroyed) connect(1);
      });
    } else connect(1);
  };
}
