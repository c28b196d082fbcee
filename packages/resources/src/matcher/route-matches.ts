/**
 * The tag Kuma gives a route's requests so that policies targeting a MeshHTTPRoute apply to that route only:
 * its value identifies the route rule's `matches`. Look a per-route conf up with
 * `toConfFor(rules, { "kuma.io/service": service, [ROUTE_MATCHES_TAG]: routeMatchesHash(rule.matches) })`.
 */
export const ROUTE_MATCHES_TAG = "__rule-matches-hash__";

/** A stable hash of a route rule's `matches` (FNV-1a over its JSON; no crypto so that browsers can use it too). */
export function routeMatchesHash(matches: unknown): string {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(matches)) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
