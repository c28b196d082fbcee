import { ROUTE_MATCHES_TAG, SERVICE_TAG, computeRule, inboundsSelectedBy, policyTypeNames, type TargetRef, routeMatchesHash, rulesForDataplane, type DataplaneBody, type PolicyResource, type PolicyTypeRules, type Resource, type Rule, type SpiffeIdMatch } from "@zonemesh/resources";
import type { Warn } from "./input";
import { identityKey } from "./outbound-cache";
import type { FaultInjectionConf, HttpRouteRule, MetricConf, TcpRouteRule } from "./policy-confs";
import type { FromRule, InboundPolicies, Merged, OutboundPolicies, ProxyPolicies } from "./resolved-policies";

const merged = <T>(rule: Rule | undefined): Merged<T> | undefined => rule && { conf: rule.conf as T, origins: rule.origin };

/** Policy sections Envoy config is not generated from (outbound fault injection and rate limiting). */
const untranslatedToSections = ["MeshFaultInjection", "MeshRateLimit"];

/**
 * The distinct top-level selectors (mesh and targetRef) of a policy list. Dataplanes on which each selector selects the
 * same inbound ports are selected by the same policies on the same inbounds, and the matcher gives them the same rules
 * (it reads nothing else of a dataplane): `keyOf` tells them apart with one check per distinct selector, not per policy.
 */
export class PolicySelectors {
  readonly #selectors: { mesh: string; ref: TargetRef | undefined }[];
  readonly #routes: PolicyResource[];

  constructor(policies: PolicyResource[]) {
    const distinct = new Map(policies.map((policy) => [JSON.stringify([policy.mesh, policy.body.spec.targetRef ?? null]), { mesh: policy.mesh, ref: policy.body.spec.targetRef }]));
    this.#selectors = [...distinct.values()];
    this.#routes = policies.filter((policy) => policy.type === "MeshHTTPRoute");
  }

  keyOf(dataplane: Resource<DataplaneBody>): string {
    return this.#selectors
      .map(({ mesh, ref }) => (mesh === dataplane.mesh ? inboundsSelectedBy(ref, dataplane, this.#routes).map((inbound) => inbound.port).join(" ") : ""))
      .join("|");
  }
}

/**
 * The policies selecting a proxy, looked up per destination and per inbound through the resources package's matcher.
 * Sections that generation does not translate are reported through `warn`.
 */
export function proxyPolicies(dataplane: Resource<DataplaneBody>, policies: PolicyResource[], warn: Warn): ProxyPolicies {
  const byType = new Map<string, PolicyTypeRules>(rulesForDataplane(dataplane, policies).rules.map((rules) => [rules.type, rules]));
  for (const type of untranslatedToSections) {
    const origins = (byType.get(type)?.toRules ?? []).flatMap((rule) => rule.origin);
    if (origins.length > 0) warn(origins, `${type} \`to\` (outbound) is not supported, only \`from\` and \`rules\` (inbound)`);
  }
  const withHostnames = (byType.get("MeshHTTPRoute")?.toRules ?? []).filter((rule) => ((rule.conf as { hostnames?: string[] }).hostnames?.length ?? 0) > 0);
  if (withHostnames.length > 0) {
    const origins = [...new Map(withHostnames.flatMap((rule) => rule.origin).map((origin) => [origin.name, origin])).values()];
    warn(origins, "MeshHTTPRoute hostnames only apply to MeshGateway routes, and are ignored on a sidecar's outbound");
  }

  const to = <T>(type: string, service: string, routeMatches?: unknown) => {
    const rules = byType.get(type);
    const destination = { [SERVICE_TAG]: service, ...(routeMatches === undefined ? {} : { [ROUTE_MATCHES_TAG]: routeMatchesHash(routeMatches) }) };
    return merged<T>(rules && computeRule(rules.toRules, destination));
  };

  /** The inbound's `rules[]` conf, merged over the selecting policies. */
  const inboundConf = <T>(type: string, port: number): Merged<T> | undefined => {
    const inbound = byType.get(type)?.inboundRules.find((entry) => entry.inbound.port === port);
    return inbound && { conf: inbound.conf as T, origins: inbound.origin };
  };

  /** The inbound's `from` rules, by caller tags. */
  const fromRules = <T>(type: string, port: number): FromRule<T>[] =>
    (byType.get(type)?.fromRules.find((entry) => entry.inbound.port === port)?.rules ?? []).map((rule) => ({ matchers: rule.matchers, conf: rule.conf as T, origins: rule.origin }));

  /** `from` rules of the inbound, then its `rules[]` conf, which applies to every caller. */
  const from = <T>(type: string, port: number): FromRule<T>[] => {
    const inbound = inboundConf<T>(type, port);
    return inbound ? [...fromRules<T>(type, port), { matchers: [], ...inbound }] : fromRules<T>(type, port);
  };

  /** The conf for every caller (these types only allow `from` kind Mesh): an inbound's `rules[]` conf wins over it. */
  const forEveryCaller = <T>(type: string, port: number): Merged<T> | undefined => {
    const rules = from<T>(type, port).filter((rule) => rule.matchers.length === 0);
    const last = rules[rules.length - 1];
    return last && { conf: last.conf, origins: last.origins };
  };

  const outboundOf = (service: string): OutboundPolicies => {
    const http = to<{ rules?: HttpRouteRule[] }>("MeshHTTPRoute", service);
    const tcp = to<{ rules?: TcpRouteRule[] }>("MeshTCPRoute", service);
    const tcpRule = tcp?.conf.rules?.[0];
    return {
      ...(http?.conf.rules?.length ? { httpRoutes: { conf: http.conf.rules, origins: http.origins } } : {}),
      ...(tcp && tcpRule ? { tcpRoute: { conf: tcpRule, origins: tcp.origins } } : {}),
      timeout: to("MeshTimeout", service),
      routeTimeout: (matches) => to("MeshTimeout", service, matches),
      retry: to("MeshRetry", service),
      routeRetry: (matches) => to("MeshRetry", service, matches),
      circuitBreaker: to("MeshCircuitBreaker", service),
      healthCheck: to("MeshHealthCheck", service),
      loadBalancing: to("MeshLoadBalancingStrategy", service),
      accessLog: to("MeshAccessLog", service),
    };
  };
  // Listeners, routes, clusters and endpoints all ask for the same destinations.
  const outbounds = new Map<string, OutboundPolicies>();
  const inboundOf = ({ port }: { port: number }): InboundPolicies => ({
    // Its `rules` match callers by SPIFFE ID, not by tags: they are kept apart from the `from` rules.
    trafficPermission: fromRules("MeshTrafficPermission", port),
    trafficPermissionBySpiffeId: inboundConf("MeshTrafficPermission", port),
    faultInjection: from("MeshFaultInjection", port),
    faultInjectionBySpiffeId: (byType.get("MeshFaultInjection")?.inboundMatchedRules.find((entry) => entry.inbound.port === port)?.rules ?? []).map((rule) => ({
      matches: rule.matches as SpiffeIdMatch[],
      conf: rule.conf as FaultInjectionConf,
      origins: rule.origin,
    })),
    rateLimit: from("MeshRateLimit", port),
    timeout: forEveryCaller("MeshTimeout", port),
    accessLog: forEveryCaller("MeshAccessLog", port),
    circuitBreaker: forEveryCaller("MeshCircuitBreaker", port),
    tls: forEveryCaller("MeshTLS", port),
  });
  // Compared across policy changes, when every rule is a new object: by content.
  const inboundKeys = new Map<number, string>();

  const metric = byType.get("MeshMetric")?.singleItemRules[0];
  return {
    ...(metric ? { metric: { conf: metric.conf as MetricConf, origins: metric.origin } } : {}),
    // The matcher hands dataplanes selected by the same policies the same rule lists.
    outboundKey: identityKey(policyTypeNames.map((type) => byType.get(type)?.toRules)),
    outbound(service: string): OutboundPolicies {
      let found = outbounds.get(service);
      if (!found) {
        found = outboundOf(service);
        outbounds.set(service, found);
      }
      return found;
    },
    inbound: inboundOf,
    inboundKey({ port }): string {
      let key = inboundKeys.get(port);
      if (key === undefined) {
        key = JSON.stringify(inboundOf({ port }));
        inboundKeys.set(port, key);
      }
      return key;
    },
  };
}
