/**
 * `topology.graph`'s input for the view the query string names (mesh, zone, q, focus, collapse): the page's
 * server-side prefetch and the browser's query must build the same input to share one query key.
 */
export function topologyInput(get: (key: string) => string) {
  return {
    mesh: get("mesh") || "default",
    zone: get("zone") || undefined,
    search: get("q") || undefined,
    focus: get("focus") || undefined,
    collapse: { "1": true, "0": false }[get("collapse")],
  };
}
