import http from "node:http";
import type { HeaderValueOption } from "@zonemesh/xds";
import type { ClusterRuntime } from "../cluster";
import type { UpstreamEndpoint } from "../endpoints";
import type { Runtime } from "../runtime";
import { applyHeaderChanges, forwardableHeaders, type HeaderMap } from "./headers";
import type { HttpExchange } from "./http-filters";
import type { AttemptOutcome } from "./retry-policy";
import type { CompiledRoute } from "./route-table";

type Attempt = { outcome: AttemptOutcome; response?: http.IncomingMessage };

const noBody = Buffer.alloc(0);

/** A request without content-length or transfer-encoding has no body (RFC 9112 6.3): no need to wait for its end. */
function hasBody(request: http.IncomingMessage): boolean {
  const length = request.headers["content-length"];
  return request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  if (!hasBody(request)) return Promise.resolve(noBody);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/**
 * The request headers as Node's flat [name, value, ...] list: ClientRequest then writes them as they are instead
 * of validating and storing each one again (the downstream parser already checked them).
 */
function headerList(headers: HeaderMap, contentLength: number, endpoint: UpstreamEndpoint): string[] {
  const list: string[] = [];
  for (const name in headers) {
    if (name === "content-length") continue;
    const value = headers[name] as string | string[];
    if (typeof value === "string") list.push(name, value);
    else for (const item of value) list.push(name, item);
  }
  if (headers.host === undefined) list.push("host", `${endpoint.host}:${endpoint.port}`);
  list.push("content-length", String(contentLength));
  return list;
}

function attempt(cluster: ClusterRuntime, endpoint: UpstreamEndpoint, method: string, path: string, headers: HeaderMap, body: Buffer, timeoutMs: number | undefined): Promise<Attempt> {
  return new Promise((resolve) => {
    let connected = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const request = http.request({ agent: cluster.agent, host: endpoint.host, port: endpoint.port, method, path, headers: headerList(headers, body.length, endpoint) });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish({ outcome: { failure: "per-try-timeout" } }), timeoutMs);
    const finish = (result: Attempt) => {
      clearTimeout(timer);
      clearTimeout(connectTimer);
      if (!result.response) request.destroy();
      resolve(result);
    };
    // A pooled keep-alive connection is already connected: the connect timeout only runs while a new one connects.
    request.on("socket", (socket) => {
      if (!socket.connecting) {
        connected = true;
        return;
      }
      connectTimer = setTimeout(() => finish({ outcome: { failure: "connect-failure" } }), cluster.connectTimeoutMs);
      socket.once("connect", () => {
        connected = true;
        clearTimeout(connectTimer);
      });
    });
    request.on("response", (response) => finish({ outcome: { status: response.statusCode ?? 502 }, response }));
    request.on("error", () => finish({ outcome: { failure: connected ? "reset" : "connect-failure" } }));
    request.end(body);
  });
}

/** Envoy's request mirroring: a copy to another cluster, authority suffixed with "-shadow", its response discarded. */
function shadow(runtime: Runtime, clusterName: string, method: string, path: string, headers: HeaderMap, body: Buffer): void {
  const cluster = runtime.clusters.get(clusterName);
  const endpoint = cluster?.pick();
  if (!cluster || !endpoint) return;
  const host = typeof headers.host === "string" ? headers.host : "";
  const shadowHost = host.includes(":") ? host.replace(/:/, "-shadow:") : `${host}-shadow`;
  void attempt(cluster, endpoint, method, path, { ...headers, host: shadowHost }, body, undefined).then((result) => result.response?.resume());
}

/** Envoy's response flags: UH no healthy upstream, UO overflow, UT timeout, UF connect failure, UR reset, NC no cluster. */
function sendError(exchange: HttpExchange, flags: string, status: number, body: string, extra: HeaderMap = {}): void {
  exchange.log.responseFlags = flags;
  if (exchange.response.headersSent) {
    exchange.response.destroy();
    return;
  }
  exchange.response.writeHead(status, { "content-type": "text/plain", ...extra });
  exchange.response.end(body);
}

function responseHeaders(response: http.IncomingMessage, add: HeaderValueOption[] | undefined, remove: string[] | undefined): HeaderMap {
  const headers = forwardableHeaders(response.headers);
  applyHeaderChanges(headers, add, remove);
  return headers;
}

/**
 * Forwards a request along its route: weighted cluster choice, retries with back-off, per-try and overall
 * timeouts, circuit breakers. The request body is buffered so that it can be replayed on a retry.
 */
export async function forward(exchange: HttpExchange, route: CompiledRoute, runtime: Runtime): Promise<void> {
  const { request, response } = exchange;
  if (route.directResponse) {
    response.writeHead(route.directResponse.status, { "content-type": "text/plain" });
    response.end(route.directResponse.body);
    return;
  }
  if (route.redirect) {
    const { status, location } = route.redirect({ authority: request.headers.host ?? "", path: request.url ?? "/", headers: exchange.headers });
    response.writeHead(status, { location });
    response.end();
    return;
  }
  const body = await readBody(request);
  exchange.log.bytesReceived = body.length;
  const headers = forwardableHeaders(request.headers);
  applyHeaderChanges(headers, route.requestHeadersToAdd, route.requestHeadersToRemove);
  if (route.hostRewrite) headers.host = route.hostRewrite;
  const path = route.rewritePath(request.url ?? "/");
  const method = request.method ?? "GET";
  const deadline = route.timeoutMs > 0 ? Date.now() + route.timeoutMs : Infinity;
  const retry = route.retry && route.retry.requestRetriable(exchange.headers) ? route.retry : undefined;
  for (const mirror of route.mirrors) if (mirror.sampled()) shadow(runtime, mirror.cluster, method, path, headers, body);
  const clusterName = route.pickCluster();
  let previous: UpstreamEndpoint | undefined;
  const hash = route.hash({ authority: request.headers.host ?? "", path: request.url ?? "/", headers: exchange.headers, sourceIp: request.socket.remoteAddress });

  for (let attemptNumber = 0; ; attemptNumber++) {
    const cluster = runtime.clusters.get(clusterName);
    if (!cluster) return sendError(exchange, "NC", 503, `cluster ${clusterName} not found`);
    // A retry goes elsewhere, so the hash only picks the first host.
    const endpoint = cluster.pick(previous, previous ? undefined : hash);
    if (!endpoint) return sendError(exchange, "UH", 503, "no healthy upstream");
    if (!cluster.startRequest()) {
      runtime.stats.add("upstream_rq_pending_overflow_total", { cluster: clusterName });
      return sendError(exchange, "UO", 503, "upstream connect error or disconnect/reset before headers. reset reason: overflow", { "x-envoy-overloaded": "true" });
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      cluster.endRequest();
      return sendError(exchange, "UT", 504, "upstream request timeout");
    }
    const perTry = Math.min(retry?.perTryTimeoutMs ?? Infinity, remaining);
    endpoint.activeRequests++;
    exchange.log.upstreamHost = `${endpoint.host}:${endpoint.port}`;
    const result = await attempt(cluster, endpoint, method, path, headers, body, Number.isFinite(perTry) ? perTry : undefined);
    endpoint.activeRequests--;
    const status = "status" in result.outcome ? result.outcome.status : 503;
    cluster.recordResult(endpoint, status);
    runtime.stats.add("upstream_rq_total", { cluster: clusterName, code: "status" in result.outcome ? String(status) : result.outcome.failure });
    previous = endpoint;

    const canRetry = retry !== undefined && attemptNumber < retry.numRetries && retry.retriable(result.outcome) && deadline - Date.now() > 0;
    if (canRetry && cluster.startRetry()) {
      result.response?.resume();
      cluster.endRequest();
      runtime.stats.add("upstream_rq_retry_total", { cluster: clusterName });
      await new Promise((resolve) => setTimeout(resolve, Math.min(retry.backOffMs(attemptNumber + 1), Math.max(0, deadline - Date.now()))));
      cluster.endRetry();
      continue;
    }

    if (!result.response) {
      cluster.endRequest();
      if ("failure" in result.outcome && result.outcome.failure === "per-try-timeout") return sendError(exchange, "UT", 504, "upstream request timeout");
      return sendError(exchange, "failure" in result.outcome && result.outcome.failure === "connect-failure" ? "UF" : "UR", 503, `upstream connect error or disconnect/reset before headers. reset reason: ${"failure" in result.outcome ? result.outcome.failure : "unknown"}`);
    }
    const upstream = result.response;
    response.writeHead(upstream.statusCode ?? 502, responseHeaders(upstream, route.responseHeadersToAdd, route.responseHeadersToRemove));
    // The overall timeout covers the body too; past it the downstream is reset, as Envoy does.
    const overall = Number.isFinite(deadline) ? setTimeout(() => upstream.destroy(), Math.max(0, deadline - Date.now())) : undefined;
    upstream.on("data", (chunk: Buffer) => (exchange.log.bytesSent += chunk.length));
    upstream.pipe(response);
    upstream.on("close", () => {
      clearTimeout(overall);
      cluster.endRequest();
      if (!upstream.complete) response.destroy();
    });
    return;
  }
}
