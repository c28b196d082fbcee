import { envoyRoot, typeNames, type HttpFault, type HttpFilter as HttpFilterConfig, type HttpLocalRateLimit, type HttpRbac } from "@zonemesh/xds";
import { durationMs } from "../duration";
import { compileHeaderMatcher, type HeaderLookup } from "../header-matcher";
import { fractionalChance } from "../percentage";
import { compileRbacRules } from "../rbac";
import type { Stats } from "../stats";
import type { PeerSans } from "../tls-context";
import { Tokens } from "../token-bucket";
import { typeNameOf } from "../type-name";
import type { DownstreamRequest } from "./downstream-request";
import type { ResponseWriter } from "./downstream-response";
import { applyHeaderChanges, type HeaderMap } from "./headers";

export interface HttpExchange {
  request: DownstreamRequest;
  response: ResponseWriter;
  headers: HeaderLookup;
  peer: PeerSans | undefined;
  destinationPort: number;
  stats: Stats;
  statPrefix: string;
  /** Filled in along the way for the access log. */
  log: { upstreamHost?: string; bytesSent: number; responseFlags: string };
  /** Set by a fault filter's response_rate_limit: the response body is paced to this rate. */
  responseBytesPerSecond?: number;
}

/** Returns false when it answered the request itself (denied, aborted, rate limited). */
export type HttpFilter = (exchange: HttpExchange) => boolean | Promise<boolean>;

function reply(exchange: HttpExchange, status: number, body: string, headers: HeaderMap = {}): false {
  exchange.response.writeHead(status, { "content-type": "text/plain", ...headers });
  exchange.response.end(body);
  return false;
}

function rbacFilter(config: HttpRbac): HttpFilter {
  const allowed = compileRbacRules(config.rules);
  // Evaluated and counted, never enforced (MeshTrafficPermission's AllowWithShadowDeny); absent, they allow all.
  const shadowAllowed = compileRbacRules(config.shadow_rules);
  let countAllowed: (() => void) | undefined;
  return (exchange) => {
    const subject = { peer: exchange.peer, destinationPort: exchange.destinationPort, headers: exchange.headers, path: exchange.request.url };
    if (!shadowAllowed(subject)) exchange.stats.add("http_rbac_shadow_denied_total", { stat_prefix: exchange.statPrefix });
    if (allowed(subject)) {
      (countAllowed ??= exchange.stats.counter("http_rbac_allowed_total", { stat_prefix: exchange.statPrefix }))();
      return true;
    }
    exchange.stats.add("http_rbac_denied_total", { stat_prefix: exchange.statPrefix });
    return reply(exchange, 403, "RBAC: access denied");
  };
}

function faultFilter(config: HttpFault): HttpFilter {
  const delayChance = config.delay ? fractionalChance(config.delay.percentage) : () => false;
  const delayMs = durationMs(config.delay?.fixed_delay, 0);
  const abortChance = config.abort ? fractionalChance(config.abort.percentage) : () => false;
  const abortStatus = config.abort?.http_status;
  if (config.abort && abortStatus === undefined) throw new Error("fault abort needs http_status");
  const rateLimit = config.response_rate_limit;
  if (rateLimit && !rateLimit.fixed_limit?.limit_kbps) throw new Error("fault response_rate_limit needs fixed_limit.limit_kbps above 0");
  const rateLimitChance = rateLimit ? fractionalChance(rateLimit.percentage) : () => false;
  // Envoy's "kbps" here are KiB per second.
  const bytesPerSecond = (rateLimit?.fixed_limit?.limit_kbps ?? 0) * 1024;
  // The fault applies only to requests matching every header matcher (Kuma's MeshFaultInjection for some callers).
  const headerMatchers = (config.headers ?? []).map(compileHeaderMatcher);
  return async (exchange) => {
    if (!headerMatchers.every((matches) => matches(exchange.headers))) return true;
    if (delayChance()) {
      exchange.stats.add("http_fault_delays_injected_total", { stat_prefix: exchange.statPrefix });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    if (abortStatus !== undefined && abortChance()) {
      exchange.stats.add("http_fault_aborts_injected_total", { stat_prefix: exchange.statPrefix });
      exchange.log.responseFlags = "FI";
      return reply(exchange, abortStatus, "fault filter abort");
    }
    if (rateLimitChance()) {
      exchange.stats.add("http_fault_response_rl_injected_total", { stat_prefix: exchange.statPrefix });
      exchange.responseBytesPerSecond = bytesPerSecond;
    }
    return true;
  };
}

function localRateLimitFilter(config: HttpLocalRateLimit): HttpFilter {
  const bucket = config.token_bucket;
  if (!bucket) throw new Error("local rate limit needs token_bucket");
  const enabled = fractionalChance(config.filter_enabled?.default_value ?? { numerator: 0 });
  const enforced = fractionalChance(config.filter_enforced?.default_value ?? { numerator: 0 });
  const tokens = new Tokens(bucket);
  const status = config.status?.code ? Number(config.status.code) || statusByName(config.status.code) : 429;
  const responseHeaders: HeaderMap = {};
  applyHeaderChanges(responseHeaders, config.response_headers_to_add, undefined);
  return (exchange) => {
    if (!enabled() || tokens.take()) return true;
    exchange.stats.add("http_local_rate_limit_rate_limited_total", { stat_prefix: exchange.statPrefix });
    exchange.log.responseFlags = "RL";
    return enforced() ? reply(exchange, status, "local_rate_limited", responseHeaders) : true;
  };
}

const statusCodes = envoyRoot.lookupEnum("envoy.type.v3.StatusCode");

/** envoy.type.v3.StatusCode names the codes ("TooManyRequests", "Locked"); its 0 ("Empty") is no status. */
function statusByName(name: string): number {
  const code = statusCodes.values[name];
  if (!code) throw new Error(`local rate limit status ${name} is not an HTTP status code`);
  return code;
}

/** Compiles the http_filters before the router (which must come last). */
export function compileHttpFilters(filters: readonly HttpFilterConfig[], path: string): HttpFilter[] {
  const last = filters[filters.length - 1];
  if (!last || last.typed_config?.["@type"] !== `type.googleapis.com/${typeNames.router}`) throw new Error(`${path}.http_filters: the last filter must be the router`);
  return filters.slice(0, -1).map((filter, index) => {
    const config = filter.typed_config as Record<string, unknown> & { "@type": string };
    const at = `${path}.http_filters[${index}]`;
    try {
      switch (typeNameOf(config)) {
        case typeNames.httpRbac:
          return rbacFilter(config as HttpRbac);
        case typeNames.httpFault:
          return faultFilter(config as HttpFault);
        case typeNames.httpLocalRateLimit:
          return localRateLimitFilter(config as unknown as HttpLocalRateLimit);
        default:
          throw new Error(`${config["@type"]} is not supported here`);
      }
    } catch (error) {
      throw new Error(`${at}: ${(error as Error).message}`);
    }
  });
}
