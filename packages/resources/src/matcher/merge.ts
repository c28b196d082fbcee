type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Route rules with equal `matches` are one rule (Kuma's mergeKey): their defaults merge, the others are appended. */
function isRouteRuleList(value: unknown): value is { matches: unknown; default?: unknown }[] {
  return Array.isArray(value) && value.every((rule) => isObject(rule) && "matches" in rule);
}

function mergeRouteRules(base: { matches: unknown; default?: unknown }[], patch: { matches: unknown; default?: unknown }[]) {
  const byMatches = new Map<string, { matches: unknown; default?: unknown }>();
  for (const rule of [...base, ...patch]) {
    const key = JSON.stringify(rule.matches);
    const existing = byMatches.get(key);
    byMatches.set(key, existing ? { matches: rule.matches, default: mergePatch(existing.default, rule.default) } : rule);
  }
  return [...byMatches.values()];
}

/** MeshTrafficPermission's caller lists: every policy's callers count (a deny anywhere wins), so they add up. */
const appendedLists = new Set(["allow", "deny", "allowWithShadowDeny"]);

/** RFC 7386 JSON merge patch, as Kuma merges `default` confs: objects merge deeply, null deletes, arrays are replaced. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (appendedLists.has(key) && Array.isArray(result[key]) && Array.isArray(value)) result[key] = [...result[key], ...value];
    else if (key === "rules" && isRouteRuleList(result[key]) && isRouteRuleList(value)) result[key] = mergeRouteRules(result[key], value);
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Merges confs in order (later wins); undefined when there is nothing to merge. */
export function mergeConfs(confs: unknown[]): Record<string, Json> | undefined {
  if (confs.length === 0) return undefined;
  return confs.reduce<unknown>((merged, conf) => mergePatch(merged, conf), {}) as Record<string, Json>;
}
