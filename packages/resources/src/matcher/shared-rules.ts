import type { Rule } from "./subset-rules";

const ids = new WeakMap<object, number>();
let nextId = 1;

function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

const caches = new WeakMap<object, Map<string, Rule[]>>();

/**
 * Rules depend only on which policy objects went into them, so dataplanes selected by the same policies (replicas
 * of a service, mesh-wide policies) share one computation. The cache lives as long as `scope`, the policy list a
 * caller passed in; resources are treated as immutable, and the shared rules must not be modified.
 */
export function sharedRules(scope: object, inputs: object[], build: () => Rule[]): Rule[] {
  let cache = caches.get(scope);
  if (!cache) {
    cache = new Map();
    caches.set(scope, cache);
  }
  const key = inputs.map(idOf).join(",");
  let rules = cache.get(key);
  if (!rules) {
    rules = build();
    cache.set(key, rules);
  }
  return rules;
}
