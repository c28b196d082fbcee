import type { HashPolicy } from "@zonemesh/xds";
import { kumaDuration } from "./envoy-values";
import type { Warn } from "./input";
import type { LoadBalancingConf } from "./policy-confs";
import type { Merged } from "./resolved-policies";

type KumaHashPolicy = NonNullable<NonNullable<NonNullable<LoadBalancingConf["loadBalancer"]>["ringHash"]>["hashPolicies"]>[number];

function hashPolicy(policy: KumaHashPolicy): HashPolicy | undefined {
  const terminal = policy.terminal ? { terminal: true } : {};
  switch (policy.type) {
    case "Header":
      return policy.header && { header: { header_name: policy.header.name }, ...terminal };
    case "Cookie":
      return policy.cookie && { cookie: { name: policy.cookie.name, ...(policy.cookie.ttl ? { ttl: kumaDuration(policy.cookie.ttl) } : {}), ...(policy.cookie.path ? { path: policy.cookie.path } : {}) }, ...terminal };
    case "Connection":
    case "SourceIP":
      return { connection_properties: { source_ip: true }, ...terminal };
    case "QueryParameter":
      return policy.queryParameter && { query_parameter: { name: policy.queryParameter.name }, ...terminal };
    case "FilterState":
      return policy.filterState && { filter_state: { key: policy.filterState.key }, ...terminal };
  }
}

/** The route hash policies of a RingHash or Maglev MeshLoadBalancingStrategy: the balancer's own, else `default.hashPolicies`. */
export function hashPolicies(merged: Merged<LoadBalancingConf>, warn: Warn): HashPolicy[] {
  const balancer = merged.conf.loadBalancer;
  const own = balancer?.type === "RingHash" ? balancer.ringHash?.hashPolicies : balancer?.type === "Maglev" ? balancer.maglev?.hashPolicies : undefined;
  const consistent = balancer?.type === "RingHash" || balancer?.type === "Maglev";
  const policies = own ?? (consistent ? merged.conf.hashPolicies : undefined);
  const result: HashPolicy[] = [];
  for (const policy of policies ?? []) {
    const translated = hashPolicy(policy);
    if (translated) result.push(translated);
    else warn(merged.origins, `hash policy of type ${policy.type} lacks its ${policy.type.charAt(0).toLowerCase()}${policy.type.slice(1)} settings`);
  }
  return result;
}
