import type { Route, RouteAction, RouteMatch } from "@zonemesh/xds";
import { definedFields, percentage } from "./envoy-values";
import { headerValueOptions } from "./header-values";
import type { PolicyRef } from "@zonemesh/resources";
import type { HttpRouteFilter, HttpRouteMatch } from "./policy-confs";
import { backendClusters, type RouteContext } from "./backend-refs";

export interface FilteredRoute {
  /** Header changes on the route itself. */
  route: Partial<Route>;
  /** Additions to the route's forwarding action (rewrites, mirrors). */
  action: Record<string, unknown>;
  /** Set by RequestRedirect: the route answers with a redirect instead of forwarding. */
  redirect?: Route["redirect"];
}

const redirectCodes = { 301: "MOVED_PERMANENTLY", 302: "FOUND", 303: "SEE_OTHER", 307: "TEMPORARY_REDIRECT", 308: "PERMANENT_REDIRECT" } as const;

type PathRewrite = { type: "ReplaceFullPath" | "ReplacePrefixMatch"; replaceFullPath?: string; replacePrefixMatch?: string };

/**
 * A full path is replaced with a catch-all regex. A matched Gateway API prefix is replaced keeping the segment boundary:
 * on the exact half of a prefix match the whole path becomes the replacement, on the "<prefix>/" half that slash stays.
 */
function pathRewrite(path: PathRewrite, kumaMatch: HttpRouteMatch, match: RouteMatch, origins: PolicyRef[], context: RouteContext): Record<string, unknown> {
  if (path.type === "ReplaceFullPath") return { regex_rewrite: { pattern: { regex: "^.*$" }, substitution: path.replaceFullPath ?? "/" } };
  if (kumaMatch.path && kumaMatch.path.type !== "PathPrefix") {
    context.warn(origins, "ReplacePrefixMatch needs a PathPrefix match and was ignored");
    return {};
  }
  const replacement = (path.replacePrefixMatch ?? "").replace(/\/+$/, "");
  return { prefix_rewrite: match.path !== undefined ? replacement || "/" : `${replacement}/` };
}

/** MeshHTTPRoute filters of one rule, applied to the route built for one of its matches. */
export function routeFilters(filters: HttpRouteFilter[], kumaMatch: HttpRouteMatch, match: RouteMatch, origins: PolicyRef[], context: RouteContext): FilteredRoute {
  const result: FilteredRoute = { route: {}, action: {} };
  const route = result.route;
  const append = (key: "request_headers_to_add" | "request_headers_to_remove" | "response_headers_to_add" | "response_headers_to_remove", values: unknown[]) => {
    if (values.length > 0) (route[key] as unknown[]) = [...((route[key] as unknown[] | undefined) ?? []), ...values];
  };
  for (const filter of filters) {
    if (filter.type === "RequestHeaderModifier" && filter.requestHeaderModifier) {
      append("request_headers_to_add", headerValueOptions(filter.requestHeaderModifier));
      append("request_headers_to_remove", filter.requestHeaderModifier.remove ?? []);
    } else if (filter.type === "ResponseHeaderModifier" && filter.responseHeaderModifier) {
      append("response_headers_to_add", headerValueOptions(filter.responseHeaderModifier));
      append("response_headers_to_remove", filter.responseHeaderModifier.remove ?? []);
    } else if (filter.type === "URLRewrite" && filter.urlRewrite) {
      const rewrite = filter.urlRewrite;
      Object.assign(result.action, {
        ...(rewrite.path ? pathRewrite(rewrite.path, kumaMatch, match, origins, context) : {}),
        ...(rewrite.hostname ? { host_rewrite_literal: rewrite.hostname } : {}),
        ...(rewrite.hostToBackendHostname ? { auto_host_rewrite: { value: true } } : {}),
      });
    } else if (filter.type === "RequestRedirect" && filter.requestRedirect) {
      const redirect = filter.requestRedirect;
      const path = redirect.path && pathRewrite(redirect.path, kumaMatch, match, origins, context);
      result.redirect = definedFields<NonNullable<Route["redirect"]>>({
        scheme_redirect: redirect.scheme,
        host_redirect: redirect.hostname,
        port_redirect: redirect.port,
        path_redirect: redirect.path?.type === "ReplaceFullPath" ? (redirect.path.replaceFullPath ?? "/") : undefined,
        prefix_rewrite: path?.prefix_rewrite,
        response_code: redirectCodes[redirect.statusCode ?? 302],
      });
    } else if (filter.type === "RequestMirror" && filter.requestMirror) {
      const [mirror] = backendClusters([filter.requestMirror.backendRef], origins, context);
      if (!mirror) continue;
      const policies = (result.action.request_mirror_policies as unknown[] | undefined) ?? [];
      result.action.request_mirror_policies = [...policies, { cluster: mirror.name, runtime_fraction: { default_value: percentage(filter.requestMirror.percentage ?? 100) } }];
    } else {
      context.warn(origins, `MeshHTTPRoute filter ${filter.type} has no settings and was ignored`);
    }
  }
  return result;
}

/** Applies filtered additions to a forwarding action. */
export const withFilters = (action: RouteAction, filtered: FilteredRoute): RouteAction => ({ ...action, ...filtered.action }) as RouteAction;
