import type { HeaderValueOption } from "@zonemesh/xds";
import type { ClusterRuntime } from "../cluster";
import type { UpstreamEndpoint } from "../endpoints";
import type { Runtime } from "../runtime";
import { applyHeaderChanges, forwardableHeaders, forwardableRawHeaders, headerMapOf, rawHeaderLookup, type HeaderMap } from "./headers";
import type { HttpExchange } from "./http-filters";
import type { CompiledRoute } from "./route-table";
import { requestHeadFor, requestHeadLines } from "./upstream-connection";
import { Deadline, type Expirable } from "./deadline";
import { sendUpstream } from "./upstream-exchange";
import type { BodySink, RequestBody, UpstreamAttempt, UpstreamResponse } from "./upstream-attempt";
import type { DownstreamRequest } from "./downstream-request";
import { Http2Exchange, http2RequestHeaders } from "./http2-upstream";
import { ResponsePacer } from "./response-pacer";
import { AttemptTargets } from "./retry-host-selection";

/** What every attempt of one request sends: its HTTP/1.1 head lines are built (and checked) once, before the first attempt. */
interface UpstreamRequest {
  method: string;
  path: string;
  headers: HeaderMap;
  /** The downstream's te, which an HTTP/2 upstream gets when it asks for trailers. */
  te: string | string[] | undefined;
  headLines: string;
  hasHost: boolean;
  body: Buffer | RequestBody;
  /** The downstream's content-length, for a body that streams; chunked without one. */
  declaredLength: number | undefined;
}

function upstreamRequest(method: string, path: string, headers: HeaderMap, te: string | string[] | undefined, body: Buffer | RequestBody, declaredLength: number | undefined): UpstreamRequest {
  return { method, path, headers, te, headLines: requestHeadLines(method, path, headers), hasHost: headers.host !== undefined, body, declaredLength };
}

/** The length a request declared; llhttp refuses one beside transfer-encoding. */
function declaredLengthOf(request: DownstreamRequest): number | undefined {
  const length = request.headers["content-length"];
  return length === undefined ? undefined : Number(length);
}

function attempt(cluster: ClusterRuntime, endpoint: UpstreamEndpoint, request: UpstreamRequest, timeoutMs: number | undefined): UpstreamAttempt {
  const whole = Buffer.isBuffer(request.body) ? request.body : request.body.whole();
  if (cluster.http2) {
    const exchange = new Http2Exchange(whole ?? request.body, timeoutMs);
    const authority = typeof request.headers.host === "string" ? request.headers.host : `${endpoint.host}:${endpoint.port}`;
    exchange.start(cluster.http2, endpoint.host, endpoint.port, http2RequestHeaders(request.method, request.path, request.headers, authority, request.te), cluster.connectTimeoutMs);
    return exchange;
  }
  const length = whole ? whole.length : request.declaredLength;
  const head = requestHeadFor(request.headLines, request.hasHost, `${endpoint.host}:${endpoint.port}`, length);
  const outgoing = { head, body: whole ?? request.body, chunked: length === undefined, skipBody: request.method === "HEAD" };
  return sendUpstream(cluster.pool, endpoint.host, endpoint.port, outgoing, timeoutMs, cluster.connectTimeoutMs);
}

/**
 * Envoy's request mirroring: a copy to another cluster, authority suffixed with "-shadow", its response discarded.
 * It goes once the body has arrived, if the body was kept whole (within the buffer limit).
 */
function shadow(runtime: Runtime, clusterName: string, method: string, path: string, headers: HeaderMap, request: DownstreamRequest): void {
  const cluster = runtime.clusters.get(clusterName);
  const endpoint = cluster?.pick();
  if (!cluster || !endpoint) return;
  const body = request.whole();
  if (!body) {
    runtime.stats.add("retry_or_shadow_abandoned_total", { cluster: clusterName });
    return;
  }
  const host = typeof headers.host === "string" ? headers.host : "";
  const shadowHost = host.includes(":") ? host.replace(/:/, "-shadow:") : `${host}-shadow`;
  void attempt(cluster, endpoint, upstreamRequest(method, path, { ...headers, host: shadowHost }, request.headers.te, body, undefined), undefined).result.then((result) => result.response?.discard());
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

/** The upstream's headers less hop-by-hop ones: as the flat list received, or as a map when the route changes them. */
function responseHeaders(rawHeaders: string[], add: HeaderValueOption[] | undefined, remove: string[] | undefined): string[] | HeaderMap {
  if (!add && !remove) return forwardableRawHeaders(rawHeaders);
  const headers = headerMapOf(forwardableRawHeaders(rawHeaders));
  applyHeaderChanges(headers, add, remove);
  return headers;
}

/**
 * Streams an upstream body to the downstream response. The request's circuit-breaker slot is freed once: at the
 * body's end, when the route's overall timeout (which covers the body too) resets the downstream, as Envoy does,
 * or when the downstream goes away.
 */
class ResponseRelay implements BodySink, Expirable {
  #done = false;
  /** A fault filter's response_rate_limit, when one applies to this request. */
  readonly #pacer: ResponsePacer | undefined;

  constructor(
    private readonly exchange: HttpExchange,
    private readonly upstream: UpstreamResponse,
    private readonly cluster: ClusterRuntime,
    private readonly deadline: Deadline,
  ) {
    deadline.ends(this);
    exchange.response.onClose(() => {
      if (this.#done) return;
      upstream.destroy();
      this.#finish();
    });
    if (exchange.responseBytesPerSecond !== undefined) this.#pacer = new ResponsePacer(exchange.responseBytesPerSecond, { write: (chunk) => this.#send(chunk), onDrain: (listener) => exchange.response.onDrain(listener) }, () => upstream.resume());
  }

  expire(): void {
    this.upstream.destroy();
    this.exchange.response.destroy();
    this.#finish();
  }

  write(chunk: Buffer): boolean {
    if (this.#pacer) return this.#pacer.write(chunk);
    if (this.#send(chunk)) return true;
    this.exchange.response.onDrain(() => this.upstream.resume());
    return false;
  }

  end(trailers?: HeaderMap): void {
    const end = () => {
      this.#finish();
      this.exchange.response.end(undefined, trailers);
    };
    if (this.#pacer) this.#pacer.end(end);
    else end();
  }

  abort(): void {
    this.exchange.response.destroy();
    this.#finish();
  }

  #send(chunk: Buffer): boolean {
    this.exchange.log.bytesSent += chunk.length;
    return this.exchange.response.write(chunk);
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#pacer?.destroy();
    this.deadline.clear();
    this.cluster.endRequest();
  }
}

/**
 * Forwards a request along its route: weighted cluster choice, retries with back-off, per-try and overall
 * timeouts, circuit breakers. The request body streams to the upstream as it arrives; it is kept for a retry up to
 * the route's buffer limit, past which the request is not retried (as Envoy's retry buffer).
 */
export async function forward(exchange: HttpExchange, route: CompiledRoute, runtime: Runtime): Promise<void> {
  const { request, response } = exchange;
  if (route.directResponse) {
    response.writeHead(route.directResponse.status, { "content-type": "text/plain" });
    response.end(route.directResponse.body);
    return;
  }
  if (route.redirect) {
    const { status, location } = route.redirect({ authority: request.headers.host ?? "", path: request.url, headers: exchange.headers });
    response.writeHead(status, { location });
    response.end();
    return;
  }
  request.limitBuffer(route.bufferLimitBytes);
  const headers = forwardableHeaders(request.headers);
  applyHeaderChanges(headers, route.requestHeadersToAdd, route.requestHeadersToRemove);
  if (route.hostRewrite) headers.host = route.hostRewrite;
  const path = route.rewritePath(request.url);
  const method = request.method;
  const retry = route.retry && route.retry.requestRetriable(exchange.headers) ? route.retry : undefined;
  for (const mirror of route.mirrors) if (mirror.sampled()) request.whenComplete(() => shadow(runtime, mirror.cluster, method, path, headers, request));
  const outgoing = upstreamRequest(method, path, headers, request.headers.te, request, declaredLengthOf(request));
  const clusterName = route.pickCluster();
  const targets = new AttemptTargets(retry?.hostSelection);
  const { value: hash, setCookie } = route.hash({ authority: request.headers.host ?? "", path: request.url, headers: exchange.headers, sourceIp: request.remoteAddress });
  const addToResponse = setCookie === undefined ? route.responseHeadersToAdd : [...(route.responseHeadersToAdd ?? []), { header: { key: "set-cookie", value: setCookie }, append_action: "APPEND_IF_EXISTS_OR_ADD" as const }];
  // The overall timeout runs from the request's end, as Envoy's.
  const deadline = new Deadline(route.timeoutMs);
  request.whenComplete(() => deadline.start());
  let relaying = false;
  try {
    const resolving = runtime.clusters.get(clusterName)?.firstResolution();
    if (resolving) await resolving;
    for (let attemptNumber = 0; ; attemptNumber++) {
      const cluster = runtime.clusters.get(clusterName);
      if (!cluster) return sendError(exchange, "NC", 503, `cluster ${clusterName} not found`);
      const endpoint = targets.next(cluster, hash);
      if (!endpoint) return sendError(exchange, "UH", 503, "no healthy upstream");
      if (!cluster.startRequest()) {
        runtime.stats.add("upstream_rq_pending_overflow_total", { cluster: clusterName });
        return sendError(exchange, "UO", 503, "upstream connect error or disconnect/reset before headers. reset reason: overflow", { "x-envoy-overloaded": "true" });
      }
      const remaining = deadline.remaining();
      if (remaining <= 0) {
        cluster.endRequest();
        return sendError(exchange, "UT", 504, "upstream request timeout");
      }
      const perTry = retry?.perTryTimeoutMs;
      endpoint.activeRequests++;
      exchange.log.upstreamHost = `${endpoint.host}:${endpoint.port}`;
      const current = attempt(cluster, endpoint, outgoing, perTry !== undefined && perTry < remaining ? perTry : undefined);
      deadline.ends(current);
      const result = await current.result;
      endpoint.activeRequests--;
      const status = "status" in result.outcome ? result.outcome.status : 503;
      if ("failure" in result.outcome && result.outcome.failure === "overflow") {
        // No connection pool was free: the host was never tried, as Envoy's pool overflow.
        cluster.endRequest();
        runtime.stats.add("upstream_cx_pool_overflow_total", { cluster: clusterName });
        return sendError(exchange, "UO", 503, "upstream connect error or disconnect/reset before headers. reset reason: overflow", { "x-envoy-overloaded": "true" });
      }
      cluster.recordResult(endpoint, "status" in result.outcome ? result.outcome : { localOrigin: result.outcome.failure === "per-try-timeout" ? "timeout" : "failure" });
      runtime.stats.add("upstream_rq_total", { cluster: clusterName, code: "status" in result.outcome ? String(status) : result.outcome.failure });
      targets.attempted(endpoint);

      const upstreamHeaders = retry && result.response ? rawHeaderLookup(result.response.rawHeaders) : undefined;
      const retriable = retry !== undefined && attemptNumber < retry.numRetries && retry.retriable(result.outcome, upstreamHeaders) && deadline.remaining() > 0;
      // Past the buffer limit the body's start is gone: no retry, as with Envoy's retry buffer.
      if (retriable && !request.replayable) runtime.stats.add("retry_or_shadow_abandoned_total", { cluster: clusterName });
      const canRetry = retriable && request.replayable;
      if (canRetry && cluster.startRetry()) {
        result.response?.discard();
        cluster.endRequest();
        runtime.stats.add("upstream_rq_retry_total", { cluster: clusterName });
        await new Promise((resolve) => setTimeout(resolve, Math.min(retry.backOffMs(attemptNumber + 1, upstreamHeaders), deadline.remaining())));
        cluster.endRetry();
        continue;
      }

      if (!result.response) {
        cluster.endRequest();
        if ("failure" in result.outcome && result.outcome.failure === "per-try-timeout") return sendError(exchange, "UT", 504, "upstream request timeout");
        return sendError(exchange, "failure" in result.outcome && result.outcome.failure === "connect-failure" ? "UF" : "UR", 503, `upstream connect error or disconnect/reset before headers. reset reason: ${"failure" in result.outcome ? result.outcome.failure : "unknown"}`);
      }
      const upstream = result.response;
      if (response.destroyed) {
        // The downstream went away while the upstream answered: nothing to send, the connection is reusable once read.
        upstream.discard();
        cluster.endRequest();
        return;
      }
      response.writeHead(upstream.status, responseHeaders(upstream.rawHeaders, addToResponse, route.responseHeadersToRemove));
      relaying = true;
      upstream.stream(new ResponseRelay(exchange, upstream, cluster, deadline));
      return;
    }
  } finally {
    // Once relaying, the relay clears it when the body ends.
    if (!relaying) deadline.clear();
  }
}
