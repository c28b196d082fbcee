import http from "node:http";
import type net from "node:net";
import type { HttpConnectionManager } from "@zonemesh/xds";
import { durationMs } from "../duration";
import type { Runtime } from "../runtime";
import type { PeerSans } from "../tls-context";
import { compileAccessLogs } from "../access-log";
import { compileClientCertDetails, type MtlsDetails } from "./client-cert-details";
import { compileHttpFilters, type HttpExchange } from "./http-filters";
import { compileRouteTable, type RouteTable } from "./route-table";
import { forward } from "./router";

export interface ConnectionInfo {
  peer: PeerSans | undefined;
  destinationPort: number;
  mtls?: MtlsDetails;
}

export interface CompiledConnectionManager {
  /** Serves HTTP/1.1 on an accepted (and, with mTLS, already verified) connection. */
  handle(socket: net.Socket, info: ConnectionInfo): void;
  /** Closes idle keep-alive connections, and busy ones after their response, so that clients reconnect to the listener's new configuration. */
  drain(): void;
}

function lookup(request: http.IncomingMessage): (name: string) => string | undefined {
  return (name) => {
    if (name === ":method") return request.method;
    if (name === ":path") return request.url;
    if (name === ":authority") return request.headers.host;
    if (name === ":scheme") return "http";
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(",") : value;
  };
}

export function compileConnectionManager(config: HttpConnectionManager, path: string, runtime: () => Runtime): CompiledConnectionManager {
  if (config.codec_type !== undefined && config.codec_type !== "AUTO" && config.codec_type !== "HTTP1") throw new Error(`${path}.codec_type ${config.codec_type} is not supported (HTTP/1.1 only)`);
  if (!config.rds === !config.route_config) throw new Error(`${path}: exactly one of rds and route_config is required`);
  const inline: RouteTable | undefined = config.route_config ? compileRouteTable(config.route_config) : undefined;
  const routeName = config.rds?.route_config_name;
  const filters = compileHttpFilters(config.http_filters ?? [], path);
  const setClientCertDetails = compileClientCertDetails(config);
  const writeAccessLog = compileAccessLogs(config.access_log, path);
  const connectionInfo = new WeakMap<net.Socket, ConnectionInfo>();
  // In-flight requests per connection. Node tracks idle connections only for servers that listen themselves.
  const inFlight = new Map<net.Socket, number>();
  let draining = false;
  const logsAccess = (config.access_log?.length ?? 0) > 0;
  const countRequest = runtime().stats.counter("http_downstream_rq_total", { stat_prefix: config.stat_prefix });
  const server = http.createServer(async (request, response) => {
    const socket = request.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    if (draining) response.setHeader("connection", "close");
    const current = runtime();
    const info = connectionInfo.get(request.socket) ?? { peer: undefined, destinationPort: 0 };
    setClientCertDetails(request.headers, info.mtls);
    const headers = lookup(request);
    const exchange: HttpExchange = { request, response, headers, peer: info.peer, destinationPort: info.destinationPort, stats: current.stats, statPrefix: config.stat_prefix, log: { bytesReceived: 0, bytesSent: 0, responseFlags: "-" } };
    const startTime = logsAccess ? new Date() : undefined;
    response.once("close", () => {
      inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
      if (startTime)
        writeAccessLog({ startTime, durationMs: Date.now() - startTime.getTime(), ...exchange.log, upstreamHost: exchange.log.upstreamHost, request: { headers, protocol: `HTTP/${request.httpVersion}` }, responseCode: response.statusCode });
    });
    countRequest();
    try {
      for (const filter of filters) {
        // Most filters decide synchronously; awaiting only real promises saves a microtask hop per filter.
        const verdict = filter(exchange);
        if (!(verdict instanceof Promise ? await verdict : verdict)) return;
      }
      const table = inline ?? (routeName !== undefined ? current.routes.get(routeName) : undefined);
      const route = table?.route({ authority: request.headers.host ?? "", path: request.url ?? "/", headers });
      if (!route) {
        exchange.log.responseFlags = "NR";
        response.writeHead(404).end();
        return;
      }
      await forward(exchange, route, current);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(`internal error: ${(error as Error).message}`);
    }
  });
  server.keepAliveTimeout = durationMs(config.common_http_protocol_options?.idle_timeout, 3_600_000);
  server.requestTimeout = durationMs(config.request_timeout, 0);
  server.timeout = durationMs(config.stream_idle_timeout, 300_000);
  return {
    handle(socket, info) {
      connectionInfo.set(socket, info);
      inFlight.set(socket, 0);
      socket.once("close", () => inFlight.delete(socket));
      server.emit("connection", socket);
    },
    drain() {
      draining = true;
      for (const [socket, requests] of inFlight) if (requests === 0) socket.destroy();
    },
  };
}
