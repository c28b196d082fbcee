import { serviceNameOf, type MeshHTTPRouteBody, type MeshTCPRouteBody, type PolicyResource } from "@zonemesh/resources";
import { subsetClusterName } from "../names";
import type { BackendRef } from "../policy-confs";

/** Every backendRef a route can send traffic to: rule backends and request mirrors. */
function backendRefsOf(policy: PolicyResource): BackendRef[] {
  if (policy.type === "MeshHTTPRoute") {
    const rules = ((policy.body as MeshHTTPRouteBody).spec.to ?? []).flatMap((to) => to.rules);
    return rules.flatMap((rule) => [...(rule.default.backendRefs ?? []), ...(rule.default.filters ?? []).flatMap((filter) => (filter.requestMirror ? [filter.requestMirror.backendRef] : []))]);
  }
  if (policy.type === "MeshTCPRoute") return (policy.body as MeshTCPRouteBody).spec.to.flatMap((to) => to.rules).flatMap((rule) => rule.default.backendRefs);
  return [];
}

/**
 * The service subsets callers of any zone may route to (MeshServiceSubset backendRefs of MeshHTTPRoute and MeshTCPRoute):
 * their clusters set an SNI with the subset's tags, so an ingress needs a chain for each. Keyed by `<mesh>:<service>`,
 * the tag sets sorted by subset name.
 */
export function routedSubsets(policies: PolicyResource[]): Map<string, Record<string, string>[]> {
  const subsets = new Map<string, Map<string, Record<string, string>>>();
  for (const policy of policies) {
    for (const ref of backendRefsOf(policy)) {
      if (ref.kind !== "MeshServiceSubset" || !ref.tags || Object.keys(ref.tags).length === 0) continue;
      const service = serviceNameOf(ref);
      const key = `${policy.mesh}:${service}`;
      const byName = subsets.get(key) ?? new Map<string, Record<string, string>>();
      byName.set(subsetClusterName(service, ref.tags), ref.tags);
      subsets.set(key, byName);
    }
  }
  return new Map([...subsets].map(([key, byName]) => [key, [...byName.keys()].sort().map((name) => byName.get(name) as Record<string, string>)]));
}
