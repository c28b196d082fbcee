import type net from "node:net";
import type { TLSSocket } from "node:tls";
import type { HttpConnectionManager } from "@zonemesh/xds";
import { durationMs } from "../duration";
import type { Runtime } from "../runtime";
import type { PeerSans } from "../tls-context";
import { compileAccessLogs } from "../access-log";
import { compileClientCertDetails, type MtlsDetails } from "./client-cert-details";
import { DownstreamConnection, type DownstreamTimeouts } from "./downstream-connection";
import type { DownstreamRequest } from "./downstream-request";
import type { ResponseWriter } from "./downstream-response";
import { compileHttpFilters, type HttpExchange } from "./http-filters";
import { compileRouteTable, type RouteTable } from "./route-table";
import { forward } from "./router";
import { Http2DownstreamConnection, readPreface } from "./http2-downstream";

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

function lookup(request: DownstreamRequest): (name: string) => string | undefined {
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
  if (config.codec_type !== undefined && config.codec_type !== "AUTO" && config.codec_type !== "HTTP1" && config.codec_type !== "HTTP2") throw new Error(`${path}.codec_type ${config.codec_type} is not supported`);
  // AUTO (and HTTP2, which this engine serves alike) tells HTTP/2's preface from HTTP/1.1, as Envoy's AUTO does.
  const detectsHttp2 = config.codec_type !== "HTTP1";
  if (!config.rds === !config.route_config) throw new Error(`${path}: exactly one of rds and route_config is required`);
  const inline: RouteTable | undefined = config.route_config ? compileRouteTable(config.route_config) : undefined;
  const routeName = config.rds?.route_config_name;
  const filters = compileHttpFilters(config.http_filters ?? [], path);
  const setClientCertDetails = compileClientCertDetails(config);
  const writeAccessLog = compileAccessLogs(config.access_log, path);
  const connections = new Set<DownstreamConnection | Http2DownstreamConnection>();
  let draining = false;
  const logsAccess = (config.access_log?.length ?? 0) > 0;
  const countRequest = runtime().stats.counter("http_downstream_rq_total", { stat_prefix: config.stat_prefix });
  const timeouts: DownstreamTimeouts = {
    idleMs: durationMs(config.common_http_protocol_options?.idle_timeout, 3_600_000),
    streamIdleMs: durationMs(config.stream_idle_timeout, 300_000),
    requestMs: durationMs(config.request_timeout, 0),
    headersMs: durationMs(config.request_headers_timeout, 0),
  };
  const maxConnectionMs = durationMs(config.common_http_protocol_options?.max_connection_duration, 0);
  async function serve(info: ConnectionInfo, request: DownstreamRequest, response: ResponseWriter): Promise<void> {
    const current = runtime();
    setClientCertDetails(request.headers, info.mtls);
    const headers = lookup(request);
    const exchange: HttpExchange = { request, response, headers, peer: info.peer, destinationPort: info.destinationPort, stats: current.stats, statPrefix: config.stat_prefix, log: { bytesSent: 0, responseFlags: "-" } };
    const startTime = logsAccess ? new Date() : undefined;
    if (startTime)
      response.onClose(() =>
        writeAccessLog({ startTime, durationMs: Date.now() - startTime.getTime(), ...exchange.log, bytesReceived: request.bytes, upstreamHost: exchange.log.upstreamHost, request: { headers, protocol: `HTTP/${request.httpVersion}` }, responseCode: response.statusCode }),
      );
    countRequest();
    try {
      for (const filter of filters) {
        // Most filters decide synchronously; awaiting only real promises saves a microtask hop per filter.
        const verdict = filter(exchange);
        if (!(verdict instanceof Promise ? await verdict : verdict)) return;
      }
      const table = inline ?? (routeName !== undefined ? current.routes.get(routeName) : undefined);
      const route = table?.route({ authority: request.headers.host ?? "", path: request.url, headers });
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
  }
  return {
    handle(socket, info) {
      const handler = (request: DownstreamRequest, response: ResponseWriter) => void serve(info, request, response);
      const acceptedAt = Date.now();
      const served = (connection: DownstreamConnection | Http2DownstreamConnection) => {
        connections.add(connection);
        // max_connection_duration counts from the accept: then the connection drains, as when the listener does.
        const lifetime = maxConnectionMs > 0 ? setTimeout(() => connection.drain(), Math.max(0, acceptedAt + maxConnectionMs - Date.now())) : undefined;
        socket.once("close", () => {
          connections.delete(connection);
          clearTimeout(lifetime);
        });
        if (draining) connection.closeAfterResponses();
      };
      const negotiated = (socket as Partial<TLSSocket>).alpnProtocol;
      if (!detectsHttp2 || negotiated === "http/1.1") return served(new DownstreamConnection(socket, handler, timeouts));
      if (negotiated === "h2") return served(new Http2DownstreamConnection(socket, undefined, handler, timeouts));
      if (timeouts.idleMs > 0) socket.setTimeout(timeouts.idleMs, () => socket.destroy());
      readPreface(socket, (http2, firstBytes) => {
        if (http2) return served(new Http2DownstreamConnection(socket, firstBytes, handler, timeouts));
        socket.unshift(firstBytes);
        served(new DownstreamConnection(socket, handler, timeouts));
        socket.resume();
      });
    },
    drain() {
      draining = true;
      for (const connection of connections) connection.drain();
    },
  };
}
