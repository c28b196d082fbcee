import type { HashPolicy, HeaderValueOption, RetryPolicy, RuntimeFractionalPercent, Route, RouteConfiguration, VirtualHost } from "@zonemesh/xds";
import { durationMs } from "../duration";
import { hash32 } from "../load-balancer";
import { fractionalChance } from "../percentage";
import { compileHeaderMatcher, type HeaderLookup } from "../header-matcher";
import { compileFullRegex, compileStringMatcher } from "../string-matcher";
import { weightedChoice } from "../weighted-choice";
import { compileRetryPolicy, type CompiledRetryPolicy } from "./retry-policy";
import { defaultBufferLimitBytes } from "./downstream-request";

export interface RequestView {
  authority: string;
  sourceIp?: string;
  /** Path with query string. */
  path: string;
  headers: HeaderLookup;
}

export interface CompiledRoute {
  matches(request: RequestView): boolean;
  /** Weighted choice of the upstream cluster. */
  pickCluster(): string;
  directResponse?: { status: number; body: string };
  /** A redirect answer (status, Location) instead of forwarding. */
  redirect?: (request: RequestView) => { status: number; location: string };
  /** Clusters that get a copy of the request (response ignored), each with its own sampling. */
  mirrors: { cluster: string; sampled: () => boolean }[];
  /** The hash_policy value for RING_HASH/MAGLEV clusters (undefined when no policy applies), and a cookie to set. */
  hash(request: RequestView): RouteHash;
  timeoutMs: number;
  idleTimeoutMs: number | undefined;
  retry: CompiledRetryPolicy | undefined;
  /** How much of a request body is kept for a retry or a mirror (per_request_buffer_limit_bytes). */
  bufferLimitBytes: number;
  rewritePath(path: string): string;
  hostRewrite: string | undefined;
  requestHeadersToAdd: HeaderValueOption[] | undefined;
  requestHeadersToRemove: string[] | undefined;
  responseHeadersToAdd: HeaderValueOption[] | undefined;
  responseHeadersToRemove: string[] | undefined;
}

export interface RouteTable {
  name: string;
  config: RouteConfiguration;
  /** The first matching route of the virtual host for the request's authority. */
  route(request: RequestView): CompiledRoute | undefined;
}

function compileMatch(route: Route): (request: RequestView) => boolean {
  const match = route.match;
  const caseSensitive = (match.case_sensitive as { value?: boolean } | undefined)?.value ?? true;
  const fold = caseSensitive ? (value: string) => value : (value: string) => value.toLowerCase();
  let pathMatches: (path: string) => boolean;
  if (match.path !== undefined) {
    const exact = fold(match.path);
    pathMatches = (path) => fold(path) === exact;
  } else if (match.prefix !== undefined) {
    const prefix = fold(match.prefix);
    pathMatches = (path) => fold(path).startsWith(prefix);
  } else if (match.safe_regex !== undefined) {
    const regex = compileFullRegex(match.safe_regex.regex);
    pathMatches = (path) => regex.test(path);
  } else {
    throw new Error("route match needs path, prefix or safe_regex");
  }
  const headers = (match.headers ?? []).map(compileHeaderMatcher);
  const queries = (match.query_parameters ?? []).map((query) => {
    const test = query.string_match ? compileStringMatcher(query.string_match) : () => true;
    return (params: URLSearchParams) => {
      const value = params.get(query.name);
      return query.present_match !== undefined && !query.string_match ? (value !== null) === query.present_match : value !== null && test(value);
    };
  });
  return (request) => {
    const queryStart = request.path.indexOf("?");
    const path = queryStart < 0 ? request.path : request.path.slice(0, queryStart);
    if (!pathMatches(path) || !headers.every((matches) => matches(request.headers))) return false;
    if (queries.length === 0) return true;
    const params = new URLSearchParams(queryStart < 0 ? "" : request.path.slice(queryStart + 1));
    return queries.every((matches) => matches(params));
  };
}

function compilePickCluster(route: Route): () => string {
  const action = route.route;
  if (action?.cluster !== undefined) {
    const cluster = action.cluster;
    return () => cluster;
  }
  const weighted = (action?.weighted_clusters?.clusters ?? []).map((cluster) => ({ name: cluster.name, weight: cluster.weight?.value ?? 0 }));
  return weightedChoice(weighted, "route weighted_clusters");
}

function compilePrefixRewrite(route: Route, replacement: string): (path: string) => string {
  const matchedPrefix = route.match.prefix ?? route.match.path;
  if (matchedPrefix === undefined) throw new Error("prefix_rewrite needs a prefix or path match");
  return (path) => replacement + path.slice(matchedPrefix.length);
}

const redirectCodes: Record<string, number> = { MOVED_PERMANENTLY: 301, FOUND: 302, SEE_OTHER: 303, TEMPORARY_REDIRECT: 307, PERMANENT_REDIRECT: 308 };

type RedirectAction = { scheme_redirect?: string; host_redirect?: string; port_redirect?: number; path_redirect?: string; prefix_rewrite?: string; response_code?: string; strip_query?: boolean };

function compileRedirect(route: Route, redirect: RedirectAction): (request: RequestView) => { status: number; location: string } {
  const status = redirectCodes[redirect.response_code ?? "MOVED_PERMANENTLY"];
  if (status === undefined) throw new Error(`redirect response_code ${redirect.response_code} is not supported`);
  const rewrite = redirect.prefix_rewrite !== undefined ? compilePrefixRewrite(route, redirect.prefix_rewrite) : undefined;
  return (request) => {
    const queryStart = request.path.indexOf("?");
    const bare = queryStart < 0 ? request.path : request.path.slice(0, queryStart);
    const query = queryStart < 0 || redirect.strip_query ? "" : request.path.slice(queryStart);
    const [requestHost = "", requestPort] = request.authority.split(":");
    const host = redirect.host_redirect ?? requestHost;
    const port = redirect.port_redirect !== undefined ? `:${redirect.port_redirect}` : redirect.host_redirect === undefined && requestPort ? `:${requestPort}` : "";
    const path = redirect.path_redirect ?? (rewrite ? rewrite(bare) : bare);
    return { status, location: `${redirect.scheme_redirect ?? "http"}://${host}${port}${path}${query}` };
  };
}

function compilePathRewrite(route: Route): (path: string) => string {
  const action = route.route;
  if (action?.prefix_rewrite !== undefined) return compilePrefixRewrite(route, action.prefix_rewrite);
  const regexRewrite = (action as { regex_rewrite?: { pattern: { regex: string }; substitution: string } } | undefined)?.regex_rewrite;
  if (regexRewrite) {
    const regex = new RegExp(regexRewrite.pattern.regex, "g");
    // RE2 substitutions write capture groups as \1; JavaScript as $1.
    const substitution = regexRewrite.substitution.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1");
    return (path) => {
      const queryStart = path.indexOf("?");
      const bare = queryStart < 0 ? path : path.slice(0, queryStart);
      return bare.replace(regex, substitution) + (queryStart < 0 ? "" : path.slice(queryStart));
    };
  }
  return (path) => path;
}

/** The route timeout (Envoy's default 15 s, 0 = none), capped by max_stream_duration when that is shorter. */
function overallTimeoutMs(action: Route["route"]): number {
  const timeout = durationMs(action?.timeout, 15_000);
  const maxStream = action?.max_stream_duration?.max_stream_duration ? durationMs(action.max_stream_duration.max_stream_duration, 0) : 0;
  if (maxStream === 0) return timeout;
  return timeout === 0 ? maxStream : Math.min(timeout, maxStream);
}

export interface RouteHash {
  value: number | undefined;
  /** A Set-Cookie for the response: a cookie hash policy with a ttl made the cookie up, as Envoy does. */
  setCookie?: string;
}

const NO_HASH: RouteHash = { value: undefined };

/** The `name` parameter of a path's query string, the first one when repeated. */
function queryParameter(path: string, name: string): string | undefined {
  const query = path.indexOf("?");
  return query < 0 ? undefined : (new URLSearchParams(path.slice(query + 1)).get(name) ?? undefined);
}

/** The `name` cookie of a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(";") ?? []) {
    const separator = pair.indexOf("=");
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim().replace(/^"(.*)"$/, "$1");
  }
  return undefined;
}

function hashInput(policy: HashPolicy, request: RequestView): string | undefined {
  if (policy.header) return request.headers(policy.header.header_name.toLowerCase());
  if (policy.connection_properties?.source_ip) return request.sourceIp;
  if (policy.query_parameter) return queryParameter(request.path, policy.query_parameter.name);
  if (policy.cookie) return cookieValue(request.headers("cookie"), policy.cookie.name);
  // filter_state: no filter of this engine sets filter state, so the policy never applies, as in Envoy where none does.
  return undefined;
}

/** Envoy's generated cookie: a value stable for the client (here its address), `name="value"; Max-Age; Path; HttpOnly`. */
function generatedCookie(cookie: NonNullable<HashPolicy["cookie"]>, request: RequestView): { value: string; header: string } {
  const value = hash32(request.sourceIp ?? "").toString(16).padStart(8, "0");
  const maxAge = Math.floor(durationMs(cookie.ttl, 0) / 1000);
  return { value, header: `${cookie.name}="${value}"${maxAge > 0 ? `; Max-Age=${maxAge}` : ""}${cookie.path ? `; Path=${cookie.path}` : ""}; HttpOnly` };
}

/** Envoy's hash policies: each applicable one is folded into the hash; a terminal one that applies ends the list. */
function compileHashPolicy(route: Route): (request: RequestView) => RouteHash {
  const policies = route.route?.hash_policy ?? [];
  if (policies.length === 0) return () => NO_HASH;
  return (request) => {
    let hash: number | undefined;
    let setCookie: string | undefined;
    for (const policy of policies) {
      let value = hashInput(policy, request);
      if (value === undefined && policy.cookie?.ttl) {
        const generated = generatedCookie(policy.cookie, request);
        value = generated.value;
        setCookie = generated.header;
      }
      if (value === undefined) continue;
      hash = hash32(`${hash ?? ""}|${value}`);
      if (policy.terminal) break;
    }
    return setCookie === undefined ? { value: hash } : { value: hash, setCookie };
  };
}

/** `config`'s request header changes come after the route's, so they win where both set a header (Envoy's default order). */
function compileRoute(route: Route, virtualHost: VirtualHost, config: RouteConfiguration): CompiledRoute {
  const redirect = (route as { redirect?: RedirectAction }).redirect;
  if (!route.route && !route.direct_response && !redirect) throw new Error("route needs route, redirect or direct_response");
  const action = route.route;
  const mirrorPolicies = (action as { request_mirror_policies?: { cluster: string; runtime_fraction?: RuntimeFractionalPercent }[] } | undefined)?.request_mirror_policies ?? [];
  return {
    matches: compileMatch(route),
    pickCluster: route.route ? compilePickCluster(route) : () => "",
    ...(route.direct_response ? { directResponse: { status: route.direct_response.status, body: route.direct_response.body?.inline_string ?? "" } } : {}),
    ...(redirect ? { redirect: compileRedirect(route, redirect) } : {}),
    hash: compileHashPolicy(route),
    mirrors: mirrorPolicies.map((policy) => ({ cluster: policy.cluster, sampled: fractionalChance(policy.runtime_fraction?.default_value) })),
    timeoutMs: overallTimeoutMs(action),
    idleTimeoutMs: action?.idle_timeout ? durationMs(action.idle_timeout, 0) : undefined,
    retry: compileRetryPolicy((action?.retry_policy ?? virtualHost.retry_policy) as RetryPolicy | undefined),
    bufferLimitBytes: (route.per_request_buffer_limit_bytes ?? virtualHost.per_request_buffer_limit_bytes)?.value ?? defaultBufferLimitBytes,
    rewritePath: compilePathRewrite(route),
    hostRewrite: action?.host_rewrite_literal,
    requestHeadersToAdd: config.request_headers_to_add ? [...(route.request_headers_to_add ?? []), ...config.request_headers_to_add] : route.request_headers_to_add,
    requestHeadersToRemove: config.request_headers_to_remove ? [...(route.request_headers_to_remove ?? []), ...config.request_headers_to_remove] : route.request_headers_to_remove,
    responseHeadersToAdd: route.response_headers_to_add,
    responseHeadersToRemove: route.response_headers_to_remove,
  };
}

/** Domain match precedence as Envoy's: exact, then suffix wildcard ("*.x"), then prefix wildcard ("x.*"), then "*". */
function domainRank(domain: string, host: string): number {
  if (domain === host) return 4;
  if (domain.startsWith("*") && domain !== "*" && host.endsWith(domain.slice(1))) return 3;
  if (domain.endsWith("*") && domain !== "*" && host.startsWith(domain.slice(0, -1))) return 2;
  if (domain === "*") return 1;
  return 0;
}

export function compileRouteTable(config: RouteConfiguration): RouteTable {
  const virtualHosts = (config.virtual_hosts ?? []).map((virtualHost, index) => {
    try {
      return { domains: virtualHost.domains.map((domain) => domain.toLowerCase()), routes: (virtualHost.routes ?? []).map((route) => compileRoute(route, virtualHost, config)) };
    } catch (error) {
      throw new Error(`route configuration ${config.name}: virtual_hosts[${index}]: ${(error as Error).message}`);
    }
  });
  type CompiledVirtualHost = (typeof virtualHosts)[number];
  const virtualHostOf = (requestAuthority: string): CompiledVirtualHost | undefined => {
    const authority = requestAuthority.toLowerCase();
    const host = authority.replace(/:\d+$/, "");
    let best: CompiledVirtualHost | undefined;
    let bestRank = 0;
    for (const virtualHost of virtualHosts) {
      const rank = Math.max(...virtualHost.domains.map((domain) => Math.max(domainRank(domain, authority), domainRank(domain, host))));
      if (rank > bestRank) [best, bestRank] = [virtualHost, rank];
    }
    return best;
  };
  // Requests repeat a few authorities: the domain match is done once per authority (bounded, as authorities are client input).
  const byAuthority = new Map<string, CompiledVirtualHost | undefined>();
  return {
    name: config.name,
    config,
    route(request) {
      let virtualHost = byAuthority.get(request.authority);
      if (virtualHost === undefined && !byAuthority.has(request.authority)) {
        virtualHost = virtualHostOf(request.authority);
        if (byAuthority.size >= 1024) byAuthority.clear();
        byAuthority.set(request.authority, virtualHost);
      }
      return virtualHost?.routes.find((route) => route.matches(request));
    },
  };
}
