import type { TargetRef } from "../policies/target-ref";
import { mergeConfs } from "./merge";
import type { PolicyRef } from "./policy";
import { targetRefTags } from "./select";
import { tagsMatch, type Tags } from "./tags";
import { SERVICE_TAG } from "../types/dataplane";

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

interface IndexedItem {
  index: number;
  tags: Tags;
  item: PolicyItem;
}

/**
 * Items grouped by the `kuma.io/service` they require: two subsets naming different services never intersect, so
 * each service only meets its own items and the service-agnostic ones (Mesh, MeshSubset, "*"). This keeps the rule
 * computation linear in the number of destinations instead of quadratic.
 */
function byService(items: PolicyItem[]): { any: IndexedItem[]; services: Map<string, IndexedItem[]> } {
  const any: IndexedItem[] = [];
  const services = new Map<string, IndexedItem[]>();
  items.forEach((item, index) => {
    const tags = targetRefTags(item.targetRef);
    const service = tags[SERVICE_TAG];
    if (service === undefined || service === "*") any.push({ index, tags, item });
    else {
      const bucket = services.get(service) ?? [];
      bucket.push({ index, tags, item });
      services.set(service, bucket);
    }
  });
  return { any, services };
}

function distinctSubsets(items: IndexedItem[]): Map<string, Tags> {
  return new Map(items.map(({ tags }) => [subsetKey(tags), tags]));
}

/**
 * Every subset a peer can fall into: the items' own tag sets closed under union of compatible sets, so that
 * the most specific subset matching a peer (most tags) carries exactly the merge of all items matching it.
 * Kuma enumerates the same cells with negated tags; without negations, "most specific match first" is equivalent.
 */
function closure(subsets: Iterable<Tags>): Map<string, Tags> {
  const closed = new Map<string, Tags>();
  for (const tags of subsets) {
    for (const existing of [...closed.values()]) {
      if (compatible(existing, tags)) {
        const union = { ...existing, ...tags };
        closed.set(subsetKey(union), union);
      }
    }
    closed.set(subsetKey(tags), tags);
  }
  return closed;
}

function ruleFor(subset: Tags, candidates: IndexedItem[]): Rule {
  const applicable = candidates.filter((candidate) => tagsMatch(candidate.tags, subset)).sort((a, b) => a.index - b.index);
  const origins = new Map(applicable.map(({ item }) => [`${item.origin.type}/${item.origin.name}`, item.origin]));
  return {
    matchers: Object.entries(subset)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value })),
    conf: mergeConfs(applicable.map(({ item }) => item.conf)) ?? {},
    origin: [...origins.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** Kuma's BuildRules without negations: one rule per subset, most specific first. */
export function buildRules(items: PolicyItem[]): Rule[] {
  const { any, services } = byService(items);
  const anySubsets = closure(distinctSubsets(any).values());
  const rules = [...anySubsets.values()].map((subset) => ruleFor(subset, any));
  for (const serviceItems of services.values()) {
    const candidates = [...serviceItems, ...any];
    for (const [key, subset] of closure([...distinctSubsets(serviceItems).values(), ...anySubsets.values()])) {
      if (!anySubsets.has(key)) rules.push(ruleFor(subset, candidates));
    }
  }
  return rules.sort((a, b) => b.matchers.length - a.matchers.length);
}

/** The conf for a peer with these tags: the most specific rule matching it; undefined when no rule does. */
export function computeRule(rules: Rule[], peer: Tags): Rule | undefined {
  return rules.find((rule) => rule.matchers.every(({ key, value }) => key in peer && (value === "*" || peer[key] === value)));
}
