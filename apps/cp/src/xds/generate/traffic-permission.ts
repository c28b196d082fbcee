import { SERVICE_TAG, type Matcher } from "@zonemesh/resources";
import type { Principal, RbacRules } from "@zonemesh/xds";
import type { TrafficPermissionConf } from "./policy-confs";
import type { FromRule } from "./resolved-policies";
import { kumaTagUri, spiffeId } from "./names";

const policyName = "MeshTrafficPermission";

/** A caller tag as a match on the URI SANs of its certificate (Envoy tries every URI SAN), as Kuma does. */
function tagPrincipal(mesh: string, { key, value }: Matcher): Principal {
  const uri = key === SERVICE_TAG ? spiffeId(mesh, value === "*" ? "" : value) : kumaTagUri(key, value === "*" ? "" : value);
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
function allowRules(mesh: string, rules: FromRule<TrafficPermissionConf>[], allowed: string[]): RbacRules {
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
  // ALLOW is the default action; rules without policies deny every caller.
  return principals.length === 0 ? {} : { policies: { [policyName]: { permissions: [{ any: true }], principals } } };
}

/**
 * MeshTrafficPermission as RBAC rules for one inbound; only meaningful with mTLS, where callers are known by certificate.
 * Callers no rule allows are denied, every caller when no permission applies (Kuma's behaviour with mTLS on).
 * AllowWithShadowDeny is allowed, and the shadow rules (logged, not enforced) treat it as denied.
 */
export function trafficPermissionRules(mesh: string, rules: FromRule<TrafficPermissionConf>[]): { rules: RbacRules; shadow_rules?: RbacRules } {
  const enforced = allowRules(mesh, rules, ["Allow", "AllowWithShadowDeny"]);
  if (!rules.some((rule) => rule.conf.action === "AllowWithShadowDeny")) return { rules: enforced };
  return { rules: enforced, shadow_rules: allowRules(mesh, rules, ["Allow"]) };
}
