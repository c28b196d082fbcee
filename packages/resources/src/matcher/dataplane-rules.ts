import type { DataplaneBody } from "../types/dataplane";
import { SERVICE_TAG } from "../types/dataplane";
import { serviceNameOf } from "../policies/target-ref";
import { policyTypeNames } from "../registry";
import type { Resource } from "../resource";
import { mergeConfs } from "./merge";
import { policyRef, type PolicyRef, type PolicyResource, type PolicySpec } from "./policy";
import { ROUTE_MATCHES_TAG, routeMatchesHash } from "./route-matches";
import { comparePolicies, inboundsSelectedBy, policiesForDataplane, referencedRoute } from "./select";
import { sharedRules } from "./shared-rules";
import { buildRules, computeRule, type PolicyItem, type Rule } from "./subset-rules";
import type { InboundTags, Tags } from "./tags";

export interface InboundFromRules {
  inbound: InboundTags;
  rules: Rule[];
}

export interface InboundConf {
  inbound: InboundTags;
  conf: Record<string, unknown>;
  origin: PolicyRef[];
}

/** An inbound rule for the callers its `matches` pick (by SPIFFE ID), kept apart from the every-caller conf. */
export interface InboundMatchedRule {
  matches: object[];
  conf: Record<string, unknown>;
  origin: PolicyRef[];
}

/** What one policy type contributes to a dataplane, shaped like an entry of Kuma's `/dataplanes/{name}/_rules`. */
export interface PolicyTypeRules {
  type: string;
  /** Outbound: keyed by destination (`to[].targetRef`), most specific first. */
  toRules: Rule[];
  /** Inbound, per selected inbound: keyed by source (`from[].targetRef`). */
  fromRules: InboundFromRules[];
  /** Inbound `rules[].default` of newer policies (those without `matches`), merged per selected inbound. */
  inboundRules: InboundConf[];
  /** Inbound rules with `matches`, per selected inbound, in policy order. */
  inboundMatchedRules: { inbound: InboundTags; rules: InboundMatchedRule[] }[];
  /** Single-item policies' `default` (MeshMetric), merged over the policies selecting the proxy: none or one. */
  singleItemRules: { conf: Record<string, unknown>; origin: PolicyRef[] }[];
}

export interface DataplaneRules {
  rules: PolicyTypeRules[];
}

/** One item per rule of a route: `conf` for the requests of that rule (on each of the route's destinations). */
function perRouteRule(route: PolicyResource | undefined, conf: object, origin: PolicyRef): PolicyItem[] {
  return (route?.body.spec.to ?? []).flatMap((destination) =>
    (destination.rules ?? []).map((rule) => ({
      targetRef: {
        kind: "MeshServiceSubset" as const,
        name: serviceNameOf(destination.targetRef),
        tags: { [ROUTE_MATCHES_TAG]: routeMatchesHash(rule.matches) },
      },
      conf,
      origin,
    })),
  );
}

const confOf = (item: NonNullable<PolicySpec["to"]>[number]) => item.default ?? { ...(item.hostnames ? { hostnames: item.hostnames } : {}), rules: item.rules ?? [] };

/** `to[]` entries towards destinations (Mesh, MeshService) as policy items. */
function toItems(policy: PolicyResource): PolicyItem[] {
  if (policy.body.spec.targetRef?.kind === "MeshHTTPRoute") return [];
  const origin = policyRef(policy);
  return (policy.body.spec.to ?? []).filter((item) => item.targetRef.kind !== "MeshHTTPRoute").map((item) => ({ targetRef: item.targetRef, conf: confOf(item), origin }));
}

/**
 * Confs for a MeshHTTPRoute (the policy's top-level targetRef, or a `to[]` targetRef naming one of `routesHere`, the
 * routes on this dataplane) as items per rule of that route. They come after every `toItems`, as Kuma's route confs
 * override the confs of the service the route's requests go to, whatever the policies' top-level targetRefs.
 */
function routeItems(policy: PolicyResource, routes: PolicyResource[], routesHere: PolicyResource[]): PolicyItem[] {
  const { targetRef, to = [] } = policy.body.spec;
  const origin = policyRef(policy);
  if (targetRef?.kind === "MeshHTTPRoute") {
    const route = referencedRoute(targetRef, policy.mesh, routes);
    return to.flatMap((item) => perRouteRule(route, confOf(item), origin));
  }
  return to
    .filter((item) => item.targetRef.kind === "MeshHTTPRoute")
    .flatMap((item) => perRouteRule(referencedRoute(item.targetRef, policy.mesh, routesHere), confOf(item), origin));
}

function fromItems(policy: PolicyResource): PolicyItem[] {
  return (policy.body.spec.from ?? []).map((item) => ({ targetRef: item.targetRef, conf: item.default, origin: policyRef(policy) }));
}

function singleItemRules(selected: PolicyResource[]): PolicyTypeRules["singleItemRules"] {
  const withDefault = selected.filter((policy) => policy.body.spec.default !== undefined);
  const conf = mergeConfs(withDefault.map((policy) => policy.body.spec.default as object));
  return conf ? [{ conf, origin: withDefault.map(policyRef) }] : [];
}

interface Scope {
  /** The caller's policy list, which bounds the lifetime of shared rules. */
  all: PolicyResource[];
  routes: PolicyResource[];
  /** The MeshHTTPRoutes selecting the dataplane: a `to[]` conf for a route applies only where the route does. */
  routesHere: PolicyResource[];
}

// Markers that keep to- and from-rules apart in the shared cache.
const TO = {};
const FROM = {};
const ROUTES_HERE = {};

function rulesForType(type: string, dataplane: Resource<DataplaneBody>, selected: PolicyResource[], { all, routes, routesHere }: Scope): PolicyTypeRules {
  const byInbound = new Map<number, { inbound: InboundTags; policies: PolicyResource[] }>();
  for (const policy of selected) {
    for (const inbound of inboundsSelectedBy(policy.body.spec.targetRef, dataplane, routes)) {
      if (inbound.port === 0) continue; // a gateway's tag set has no inbound listener
      const entry = byInbound.get(inbound.port) ?? { inbound, policies: [] };
      entry.policies.push(policy);
      byInbound.set(inbound.port, entry);
    }
  }
  const inbounds = [...byInbound.values()].map(({ inbound, policies }) => ({ inbound, policies: policies.sort(comparePolicies) }));
  return {
    type,
    toRules: sharedRules(all, [TO, ...selected, ...routes, ROUTES_HERE, ...routesHere], () =>
      buildRules([...selected.flatMap(toItems), ...selected.flatMap((policy) => routeItems(policy, routes, routesHere))]),
    ),
    fromRules: inbounds
      .map(({ inbound, policies }) => ({ inbound, rules: sharedRules(all, [FROM, ...policies], () => buildRules(policies.flatMap(fromItems))) }))
      .filter((entry) => entry.rules.length > 0),
    inboundRules: inbounds.flatMap(({ inbound, policies }) => {
      const everyCaller = (policy: PolicyResource) => (policy.body.spec.rules ?? []).filter((rule) => rule.matches === undefined);
      const withRules = policies.filter((policy) => everyCaller(policy).length > 0);
      const conf = mergeConfs(withRules.flatMap((policy) => everyCaller(policy).map((rule) => rule.default)));
      return conf ? [{ inbound, conf, origin: withRules.map(policyRef) }] : [];
    }),
    singleItemRules: singleItemRules(selected),
    inboundMatchedRules: inbounds.flatMap(({ inbound, policies }) => {
      const rules = policies.flatMap((policy) =>
        (policy.body.spec.rules ?? []).flatMap((rule) => (rule.matches ? [{ matches: rule.matches, conf: rule.default as Record<string, unknown>, origin: [policyRef(policy)] }] : [])),
      );
      return rules.length > 0 ? [{ inbound, rules }] : [];
    }),
  };
}

/**
 * Kuma's per-type rule computation for one dataplane, over policies of any types (others' meshes are ignored);
 * MeshHTTPRoute targetRefs are resolved against the MeshHTTPRoutes among `policies`. Dataplanes selected by the same
 * policies of one `policies` array share their rules: treat the result as read-only.
 */
export function rulesForDataplane(dataplane: Resource<DataplaneBody>, policies: PolicyResource[]): DataplaneRules {
  const routes = policies.filter((policy) => policy.type === "MeshHTTPRoute");
  const selected = policiesForDataplane(dataplane, policies, routes);
  const routesHere = selected.filter((policy) => policy.type === "MeshHTTPRoute");
  return {
    rules: policyTypeNames
      .map((type) => ({ type, policies: selected.filter((policy) => policy.type === type) }))
      .filter((entry) => entry.policies.length > 0)
      .map((entry) => rulesForType(entry.type, dataplane, entry.policies, { all: policies, routes, routesHere })),
  };
}

/** Outbound conf towards a destination service (or a destination's full tag set); undefined when nothing applies. */
export function toConfFor(rules: PolicyTypeRules, destination: string | Tags): Record<string, unknown> | undefined {
  const peer = typeof destination === "string" ? { [SERVICE_TAG]: destination } : destination;
  return computeRule(rules.toRules, peer)?.conf;
}

/** Inbound conf on the inbound at `inboundPort` for traffic from a source with these tags. */
export function fromConfFor(rules: PolicyTypeRules, inboundPort: number, sourceTags: Tags): Record<string, unknown> | undefined {
  const inbound = rules.fromRules.find((entry) => entry.inbound.port === inboundPort);
  return inbound && computeRule(inbound.rules, sourceTags)?.conf;
}

/** Merged `rules[].default` for the inbound at `inboundPort`. */
export function inboundConfFor(rules: PolicyTypeRules, inboundPort: number): Record<string, unknown> | undefined {
  return rules.inboundRules.find((entry) => entry.inbound.port === inboundPort)?.conf;
}
