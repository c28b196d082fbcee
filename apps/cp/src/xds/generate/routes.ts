import type { QueryParameterMatcher, RetryPolicy, Route, RouteAction, RouteConfiguration, RouteMatch } from "@zonemesh/xds";
import { backendClusters, type RouteContext } from "./backend-refs";
import { hashPolicies } from "./hash-policies";
import { headerMatcher } from "./header-matcher";
import type { Outbound } from "./outbounds";
import type { HttpRouteMatch, HttpRouteRule } from "./policy-confs";
import type { OutboundPolicies } from "./resolved-policies";
import { retryPolicy } from "./retry";
import { routeFilters, withFilters } from "./route-filters";
import { maxStreamDuration, timeouts, type Timeouts } from "./timeouts";

const pathRank = { Exact: 0, PathPrefix: 1, RegularExpression: 2 } as const;

/** Kuma's route order: exact paths, then longer prefixes, then regexes, then no path; then method, header and query matches first. */
function compareMatches(a: HttpRouteMatch, b: HttpRouteMatch): number {
  const rank = (match: HttpRouteMatch) => (match.path ? pathRank[match.path.type] : 3);
  return (
    rank(a) - rank(b) ||
    (b.path?.value.length ?? 0) - (a.path?.value.length ?? 0) ||
    Number(b.method !== undefined) - Number(a.method !== undefined) ||
    (b.headers?.length ?? 0) - (a.headers?.length ?? 0) ||
    (b.queryParams?.length ?? 0) - (a.queryParams?.length ?? 0)
  );
}

/** Path matches of a Kuma match. A Gateway API prefix matches whole segments (/api: /api and /api/x, not /apix), written as an exact and a prefix match. */
function pathMatches(path: HttpRouteMatch["path"]): RouteMatch[] {
  if (!path) return [{ prefix: "/" }];
  if (path.type === "Exact") return [{ path: path.value }];
  if (path.type === "RegularExpression") return [{ safe_regex: { regex: path.value } }];
  const prefix = path.value.replace(/\/+$/, "");
  return prefix === "" ? [{ prefix: "/" }] : [{ path: prefix }, { prefix: `${prefix}/` }];
}

function routeMatches(match: HttpRouteMatch): RouteMatch[] {
  const headers = [...(match.method ? [{ name: ":method", string_match: { exact: match.method } }] : []), ...(match.headers ?? []).map(headerMatcher)];
  const query = (match.queryParams ?? []).map(
    (param): QueryParameterMatcher => ({ name: param.name, string_match: param.type === "Exact" ? { exact: param.value } : { safe_regex: { regex: param.value } } }),
  );
  return pathMatches(match.path).map((path) => ({ ...path, ...(headers.length > 0 ? { headers } : {}), ...(query.length > 0 ? { query_parameters: query } : {}) }));
}

function clusterAction(clusters: { name: string; weight: number }[]): RouteAction {
  if (clusters.length === 1) return { cluster: (clusters[0] as { name: string }).name };
  return { weighted_clusters: { clusters: clusters.map(({ name, weight }) => ({ name, weight: { value: weight } })) } };
}

/** gRPC clients ignore the route timeout and bound calls by the max stream duration: there the request timeout is that bound. */
function streamDuration(limits: Timeouts, outbound: Outbound): Pick<RouteAction, "max_stream_duration"> {
  return maxStreamDuration(limits.maxStreamDuration ?? (outbound.socket ? undefined : limits.request));
}

/**
 * The RouteConfiguration of an HTTP outbound (named like its listener): MeshHTTPRoute rules in Kuma's order, each match
 * a route, then a catch-all route to the service; every route carries MeshTimeout and MeshRetry (its rule's, when one
 * targets the route) and hash policies.
 */
export function outboundRouteConfiguration(name: string, outbound: Outbound, policies: OutboundPolicies, context: RouteContext): RouteConfiguration {
  const retryOf = (retry: OutboundPolicies["retry"]) => retry && retryPolicy(retry.conf, outbound.protocol);
  const hashing = policies.loadBalancing ? hashPolicies(policies.loadBalancing, context.warn) : [];
  const action = (clusters: { name: string; weight: number }[], limits: Timeouts, retry: RetryPolicy | undefined): RouteAction => ({
    ...clusterAction(clusters),
    timeout: limits.request,
    idle_timeout: limits.streamIdle,
    ...streamDuration(limits, outbound),
    ...(retry ? { retry_policy: retry } : {}),
    ...(hashing.length > 0 ? { hash_policy: hashing } : {}),
  });

  const origins = policies.httpRoutes?.origins ?? [];
  const matched = (policies.httpRoutes?.conf ?? []).flatMap((rule: HttpRouteRule) => rule.matches.map((match) => ({ match, rule })));
  const routes: Route[] = [];
  for (const { match, rule } of matched.sort((a, b) => compareMatches(a.match, b.match))) {
    const clusters = rule.default.backendRefs ? backendClusters(rule.default.backendRefs, origins, context) : [{ name: context.clusters.ref(outbound.service), weight: 1 }];
    if (clusters.length === 0) {
      context.warn(origins, `a rule for ${outbound.service} has no usable backendRefs and was left out`);
      continue;
    }
    const limits = timeouts(policies.routeTimeout(rule.matches));
    const retry = retryOf(policies.routeRetry(rule.matches));
    for (const envoyMatch of routeMatches(match)) {
      const filtered = routeFilters(rule.default.filters ?? [], match, envoyMatch, origins, context);
      routes.push({ match: envoyMatch, ...(filtered.redirect ? { redirect: filtered.redirect } : { route: withFilters(action(clusters, limits, retry), filtered) }), ...filtered.route });
    }
  }
  const catchAll = routes.some((route) => route.match.prefix === "/" && !route.match.headers && !route.match.query_parameters);
  if (!catchAll) routes.push({ match: { prefix: "/" }, route: action([{ name: context.clusters.ref(outbound.service), weight: 1 }], timeouts(policies.timeout), retryOf(policies.retry)) });
  return { name, virtual_hosts: [{ name: outbound.service, domains: ["*"], routes }] };
}
