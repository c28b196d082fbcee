import { SERVICE_TAG, spiffeIdOf, type Matcher, type SpiffeIdMatch } from "@zonemesh/resources";
import type { Principal, RbacRules } from "@zonemesh/xds";
import type { TrafficPermissionConf, TrafficPermissionRulesConf } from "./policy-confs";
import type { FromRule } from "./resolved-policies";
import { kumaTagUri } from "./names";

const policyName = "MeshTrafficPermission";

/** A caller tag as a match on the URI SANs of its certificate (Envoy tries every URI SAN), as Kuma does. */
function tagPrincipal(mesh: string, { key, value }: Matcher): Principal {
  const uri = key === SERVICE_TAG ? spiffeIdOf(mesh, value === "*" ? "" : value) : kumaTagUri(key, value === "*" ? "" : value);
  return { authenticated: { principal_name: value === "*" ? { prefix: uri } : { exact: uri } } };
}

function rulePrincipal(mesh: string, matchers: Matcher[]): Principal {
  const ids = matchers.map((matcher) => tagPrincipal(mesh, matcher));
  if (ids.length === 0) return { any: true };
  return ids.length === 1 ? (ids[0] as Principal) : { and_ids: { ids } };
}

/** Two rules can match the same caller unless they require different values of one tag. */
function overlap(a: Matcher[], b: Matcher[]): boolean {
  return a.every((x) => b.every((y) => x.key !== y.key || x.value === y.value || x.value === "*" || y.value === "*"));
}

/**
 * Callers allowed by `allowed` actions. A caller gets the first (most specific) rule it matches, so an allowing rule
 * admits its callers except those an earlier, overlapping rule with another action already claimed.
 */
function allowedByTags(mesh: string, rules: FromRule<TrafficPermissionConf>[], allowed: string[]): Principal[] {
  const principals: Principal[] = [];
  rules.forEach((rule, index) => {
    if (!allowed.includes(rule.conf.action)) return;
    const excluded = rules
      .slice(0, index)
      .filter((earlier) => !allowed.includes(earlier.conf.action) && overlap(earlier.matchers, rule.matchers))
      .map((earlier): Principal => ({ not_id: rulePrincipal(mesh, earlier.matchers) }));
    const own = rulePrincipal(mesh, rule.matchers);
    principals.push(excluded.length === 0 ? own : { and_ids: { ids: [own, ...excluded] } });
  });
  return principals;
}

/** Callers whose certificate carries one of these SPIFFE IDs, whole or by prefix. */
const bySpiffeId = (matches: SpiffeIdMatch[]) =>
  matches.map(({ spiffeID }): Principal => ({ authenticated: { principal_name: spiffeID.type === "Exact" ? { exact: spiffeID.value } : { prefix: spiffeID.value } } }));

/** Any of `ids`; undefined for none. */
const anyOf = (ids: Principal[]): Principal | undefined => (ids.length <= 1 ? ids[0] : { or_ids: { ids } });

/** RBAC rules admitting `allowed` callers except the `denied` ones: a deny wins. ALLOW is the default action. */
function rbacRules(allowed: Principal[], denied: Principal[]): RbacRules {
  const admitted = anyOf(allowed);
  // Rules without policies deny every caller.
  if (!admitted) return {};
  const excluded = anyOf(denied);
  const principals = excluded ? [{ and_ids: { ids: [admitted, { not_id: excluded }] } }] : allowed;
  return { policies: { [policyName]: { permissions: [{ any: true }], principals } } };
}

/**
 * MeshTrafficPermission as RBAC rules for one inbound; only meaningful with mTLS, where callers are known by certificate.
 * Callers no rule allows are denied, every caller when no permission applies (Kuma's behaviour with mTLS on). The
 * `from` rules match callers by tags, the `rules` (`spiffe`) by SPIFFE ID; a caller either allows gets in unless a
 * SPIFFE-ID deny names it. AllowWithShadowDeny is allowed, and the shadow rules (logged, not enforced) treat it as denied.
 */
export function trafficPermissionRules(mesh: string, rules: FromRule<TrafficPermissionConf>[], spiffe?: TrafficPermissionRulesConf): { rules: RbacRules; shadow_rules?: RbacRules } {
  const { allow = [], deny = [], allowWithShadowDeny = [] } = spiffe ?? {};
  const enforced = rbacRules([...allowedByTags(mesh, rules, ["Allow", "AllowWithShadowDeny"]), ...bySpiffeId([...allow, ...allowWithShadowDeny])], bySpiffeId(deny));
  const shadowed = rules.some((rule) => rule.conf.action === "AllowWithShadowDeny") || allowWithShadowDeny.length > 0;
  if (!shadowed) return { rules: enforced };
  return { rules: enforced, shadow_rules: rbacRules([...allowedByTags(mesh, rules, ["Allow"]), ...bySpiffeId(allow)], bySpiffeId([...deny, ...allowWithShadowDeny])) };
}
