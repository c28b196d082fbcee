import type { TargetRef } from "../policies/target-ref";
import { mergeConfs } from "./merge";
import type { PolicyRef } from "./policy";
import { targetRefTags } from "./select";
import { tagsMatch, type Tags } from "./tags";

/** One `from[]`/`to[]` entry of a selected policy, in merge order. */
export interface PolicyItem {
  targetRef: TargetRef;
  conf: object;
  origin: PolicyRef;
}

export interface Matcher {
  key: string;
  value: string;
}

/** A subset of traffic peers (matched by tags) and the conf merged for it, like an entry of Kuma's `_rules`. */
export interface Rule {
  matchers: Matcher[];
  conf: Record<string, unknown>;
  origin: PolicyRef[];
}

function subsetKey(tags: Tags): string {
  return JSON.stringify(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function compatible(a: Tags, b: Tags): boolean {
  return Object.entries(a).every(([key, value]) => !(key in b) || b[key] === value);
}

/**
 * Every subset a peer can fall into: the items' own tag sets closed under union of compatible sets, so that
 * the most specific subset matching a peer (most tags) carries exactly the merge of all items matching it.
 * Kuma enumerates the same cells with negated tags; without negations, "most specific match first" is equivalent.
 */
function subsetsOf(items: PolicyItem[]): Tags[] {
  const subsets = new Map<string, Tags>();
  for (const item of items) {
    const tags = targetRefTags(item.targetRef);
    for (const existing of [...subsets.values()]) {
      if (compatible(existing, tags)) {
        const union = { ...existing, ...tags };
        subsets.set(subsetKey(union), union);
      }
    }
    subsets.set(subsetKey(tags), tags);
  }
  return [...subsets.values()];
}

/** Kuma's BuildRules without negations: one rule per subset, most specific first. */
export function buildRules(items: PolicyItem[]): Rule[] {
  const rules = subsetsOf(items).map((subset) => {
    const applicable = items.filter((item) => tagsMatch(targetRefTags(item.targetRef), subset));
    const origins = new Map(applicable.map((item) => [`${item.origin.type}/${item.origin.name}`, item.origin]));
    return {
      matchers: Object.entries(subset)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => ({ key, value })),
      conf: mergeConfs(applicable.map((item) => item.conf)) ?? {},
      origin: [...origins.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    };
  });
  return rules.sort((a, b) => b.matchers.length - a.matchers.length);
}

/** The conf for a peer with these tags: the most specific rule matching it; undefined when no rule does. */
export function computeRule(rules: Rule[], peer: Tags): Rule | undefined {
  return rules.find((rule) => rule.matchers.every(({ key, value }) => key in peer && (value === "*" || peer[key] === value)));
}
