import type { LoadBalancingConf } from "./policy-confs";

type LocalityAwareness = NonNullable<LoadBalancingConf["localityAwareness"]>;
type FailoverRule = NonNullable<NonNullable<LocalityAwareness["crossZone"]>["failover"]>[number];

/** The order in which a proxy's clusters use the zones of their endpoints: a priority per zone, or none to leave it out. */
export interface ZonePriorities {
  /** Equal keys, equal priorities: load assignments are shared by the proxies with the same key. */
  key: string;
  priorityOf(zone: string): number | undefined;
  /**
   * crossZone failoverThreshold as Envoy's overprovisioning factor (percent): a priority keeps all of its load while
   * that share of its endpoints is healthy, and spills the rest to the next ones below it. Unset: Envoy's 140.
   */
  overprovisioningFactor?: number;
  /**
   * localZone affinity: the local zone's endpoints grouped by the first tag they share with the caller (a locality
   * each, weighted), the others in a last group of weight 1.
   */
  affinity?: { localZone: string; groups: AffinityGroup[] };
}

export interface AffinityGroup {
  key: string;
  value: string;
  weight: number;
}

/**
 * The affinity tags the caller has a value for, with their weights: as given, or (none given) each tag 10 times the
 * next one's and the last one 9 times the rest's (90, 9 and 1 for two tags), as Kuma describes its defaults.
 */
function affinityGroups(tags: NonNullable<NonNullable<LocalityAwareness["localZone"]>["affinityTags"]>, callerTags: Record<string, string>): AffinityGroup[] {
  return tags.flatMap(({ key, weight }, index) => {
    const value = callerTags[key];
    return value === undefined ? [] : [{ key, value, weight: weight ?? 9 * 10 ** (tags.length - 1 - index) }];
  });
}

/** Whether a rule's `to` takes `zone`: Only the zones listed, Any zone, AnyExcept the ones listed, None. */
function takes(rule: FailoverRule, zone: string): boolean {
  const listed = rule.to.zones?.includes(zone) ?? false;
  switch (rule.to.type) {
    case "Only":
      return listed;
    case "Any":
      return true;
    case "AnyExcept":
      return !listed;
    case "None":
      return false;
  }
}

/**
 * MeshLoadBalancingStrategy's locality awareness for a proxy in `localZone`. Disabled (and no crossZone or localZone,
 * which take precedence): every zone alike. Otherwise the local zone comes first; then, without crossZone failover
 * rules, every other zone; with them, as Kuma's, the zones of each rule that applies to the local zone (`from`), in
 * the rules' order, and no other zone (a None rule ends the list). The load assignment makes the priorities it uses
 * contiguous.
 */
export function zonePriorities(localZone: string, locality: LocalityAwareness | undefined, callerTags: Record<string, string>): ZonePriorities {
  let priorities = zoneOrder(localZone, locality);
  const threshold = locality?.crossZone?.failoverThreshold;
  if (threshold) {
    // Kuma truncates 100/threshold before scaling (70 % becomes 100); the factor here keeps the threshold asked for.
    const overprovisioningFactor = Math.round(10_000 / Number(threshold.percentage));
    priorities = { ...priorities, key: `${priorities.key}|overprovisioning:${overprovisioningFactor}`, overprovisioningFactor };
  }
  const groups = affinityGroups(locality?.localZone?.affinityTags ?? [], callerTags);
  if (groups.length > 0) priorities = { ...priorities, key: `${priorities.key}|affinity:${JSON.stringify(groups)}`, affinity: { localZone, groups } };
  return priorities;
}

function zoneOrder(localZone: string, locality: LocalityAwareness | undefined): ZonePriorities {
  if (locality?.disabled && !locality.crossZone && !locality.localZone) return { key: "all-zones-alike", priorityOf: () => 0 };
  const failover = locality?.crossZone?.failover ?? [];
  if (failover.length === 0) return { key: "local-zone-first", priorityOf: (zone) => (zone === localZone ? 0 : 1) };
  const rules: FailoverRule[] = [];
  for (const rule of failover.filter((candidate) => !candidate.from || candidate.from.zones.includes(localZone))) {
    if (rule.to.type === "None") break;
    rules.push(rule);
  }
  return {
    key: `failover:${JSON.stringify(rules.map((rule) => rule.to))}`,
    priorityOf: (zone) => {
      if (zone === localZone) return 0;
      const index = rules.findIndex((rule) => takes(rule, zone));
      return index < 0 ? undefined : index + 1;
    },
  };
}
