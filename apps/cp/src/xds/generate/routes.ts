import type { HeaderMatcher, HeaderValueOption, QueryParameterMatcher, Route, RouteAction, RouteConfiguration, RouteMatch } from "@zonemesh/xds";
import type { ServiceInfo } from "./catalog";
import type { ClusterRefs } from "./cluster-refs";
import { hashPolicies } from "./hash-policies";
import type { PolicyOrigin, Warn } from "./input";
import type { Outbound } from "./outbounds";
import type { BackendRef, HttpRouteFilter, HttpRouteMatch, HttpRouteRule } from "./policy-confs";
import type { OutboundPolicies } from "./resolved-policies";
import { retryPolicy } from "./retry";
import { timeouts } from "./timeouts";

export interface RouteContext {
  catalog: ReadonlyMap<string, ServiceInfo>;
  clusters: ClusterRefs;
  warn: Warn;
}

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

function headerMatcher(header: NonNullable<HttpRouteMatch["headers"]>[number]): HeaderMatcher {
  const value = header.value ?? "";
  switch (header.type ?? "Exact") {
    case "Present":
      return { name: header.name, present_match: true };
    case "Absent":
      return { name: header.name, present_match: true, invert_match: true };
    case "Prefix":
      return { name: header.name, string_match: { prefix: value } };
    case "RegularExpression":
      return { name: header.name, string_match: { safe_regex: { regex: value } } };
    default:
      return { name: header.name, string_match: { exact: value } };
  }
}

function routeMatch(match: HttpRouteMatch): RouteMatch {
  const path = match.path;
  const route: RouteMatch =
    !path || (path.type === "PathPrefix" && path.value === "/")
      ? { prefix: "/" }
      : path.type === "Exact"
        ? { path: path.value }
        : path.type === "PathPrefix"
          ? // Gateway API prefixes match whole path segments: /api matches /api and /api/x, not /apix.
            { path_separated_prefix: path.value.replace(/\/+$/, "") }
          : { safe_regex: { regex: path.value } };
  const headers = [...(match.method ? [{ name: ":method", string_match: { exact: match.method } }] : []), ...(match.headers ?? []).map(headerMatcher)];
  const query = (match.queryParams ?? []).map(
    (param): QueryParameterMatcher => ({ name: param.name, string_match: param.type === "Exact" ? { exact: param.value } : { safe_regex: { regex: param.value } } }),
  );
  return { ...route, ...(headers.length > 0 ? { headers } : {}), ...(query.length > 0 ? { query_parameters: query } : {}) };
}

function headerOptions(modifier: { set?: { name: string; value: string }[]; add?: { name: string; value: string }[] }): HeaderValueOption[] {
  return [
    ...(modifier.set ?? []).map((header): HeaderValueOption => ({ header: { key: header.name, value: header.value }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" })),
    ...(modifier.add ?? []).map((header): HeaderValueOption => ({ header: { key: header.name, value: header.value } })),
  ];
}

function headerModifications(filters: HttpRouteFilter[], origins: PolicyOrigin[], warn: Warn): Partial<Route> {
  const route: Partial<Route> = {};
  const append = <K extends keyof Route>(key: K, values: NonNullable<Route[K]> & unknown[]) => {
    if (values.length > 0) (route[key] as unknown[]) = [...((route[key] as unknown[] | undefined) ?? []), ...values];
  };
  for (const filter of filters) {
    if (filter.type === "RequestHeaderModifier" && filter.requestHeaderModifier) {
      append("request_headers_to_add", headerOptions(filter.requestHeaderModifier));
      append("request_headers_to_remove", filter.requestHeaderModifier.remove ?? []);
    } else if (filter.type === "ResponseHeaderModifier" && filter.responseHeaderModifier) {
      append("response_headers_to_add", headerOptions(filter.responseHeaderModifier));
      append("response_headers_to_remove", filter.responseHeaderModifier.remove ?? []);
    } else {
      warn(origins, `MeshHTTPRoute filter ${filter.type} is not supported and was ignored`);
    }
  }
  return route;
}

/** The clusters of a rule's backendRefs; refs to services nobody provides are dropped with a warning. */
export function backendClusters(refs: BackendRef[], origins: PolicyOrigin[], context: RouteContext): { name: string; weight: number }[] {
  const clusters: { name: string; weight: number }[] = [];
  for (const ref of refs) {
    if (!context.catalog.has(ref.name)) {
      context.warn(origins, `backendRef ${ref.kind} ${JSON.stringify(ref.name)} is not a known service of the mesh`);
      continue;
    }
    const weight = ref.weight ?? 1;
    if (weight > 0) clusters.push({ name: context.clusters.ref(ref.name, ref.kind === "MeshServiceSubset" ? (ref.tags ?? {}) : {}), weight });
  }
  return clusters;
}

function clusterAction(clusters: { name: string; weight: number }[]): RouteAction {
  if (clusters.length === 1) return { cluster: (clusters[0] as { name: string }).name };
  return { weighted_clusters: { clusters: clusters.map(({ name, weight }) => ({ name, weight: { value: weight } })) } };
}

/**
 * The RouteConfiguration of an HTTP outbound (named like its listener): MeshHTTPRoute rules in Kuma's order, each match
 * a route, then a catch-all route to the service; every route carries MeshTimeout, MeshRetry and hash policies.
 */
export function outboundRouteConfiguration(name: string, outbound: Outbound, policies: OutboundPolicies, context: RouteContext): RouteConfiguration {
  const limits = timeouts(policies.timeout);
  const retry = policies.retry && retryPolicy(policies.retry.conf, outbound.protocol);
  const hashing = policies.loadBalancing ? hashPolicies(policies.loadBalancing, context.warn) : [];
  const action = (clusters: { name: string; weight: number }[]): RouteAction => ({
    ...clusterAction(clusters),
    timeout: limits.request,
    idle_timeout: limits.streamIdle,
    ...(limits.maxStreamDuration ? { max_stream_duration: { max_stream_duration: limits.maxStreamDuration } } : {}),
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
    routes.push({ match: routeMatch(match), route: action(clusters), ...headerModifications(rule.default.filters ?? [], origins, context.warn) });
  }
  const catchAll = routes.some((route) => route.match.prefix === "/" && !route.match.headers && !route.match.query_parameters);
  if (!catchAll) routes.push({ match: { prefix: "/" }, route: action([{ name: context.clusters.ref(outbound.service), weight: 1 }]) });
  return { name, virtual_hosts: [{ name: outbound.service, domains: ["*"], routes }] };
}
