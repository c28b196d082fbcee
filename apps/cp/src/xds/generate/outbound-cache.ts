import type { PolicyRef } from "@zonemesh/resources";
import type { RouteContext } from "./backend-refs";

const ids = new WeakMap<object, number>();
let nextId = 1;

/** Names objects by identity: equal keys mean the very same objects. */
export function identityKey(objects: (object | undefined)[]): string {
  return objects
    .map((object) => {
      if (!object) return "-";
      let id = ids.get(object);
      if (id === undefined) {
        id = nextId++;
        ids.set(object, id);
      }
      return id;
    })
    .join(",");
}

interface Recorded {
  value: unknown;
  refs: [string, Record<string, string>][];
  warnings: [PolicyRef[], string][];
}

/**
 * Memoizes what is built for one outbound (or outbound cluster) across the proxies of a mesh view: proxies selected by
 * the same policies get the same objects. A hit replays the cluster references and warnings the first build made.
 */
export class OutboundCache {
  private readonly entries = new Map<string, Recorded>();

  memo<T>(key: string, context: RouteContext, build: (context: RouteContext) => T): T {
    const hit = this.entries.get(key);
    if (hit) {
      for (const [service, tags] of hit.refs) context.clusters.ref(service, tags);
      for (const [origins, reason] of hit.warnings) context.warn(origins, reason);
      return hit.value as T;
    }
    const recorded: Recorded = { value: undefined, refs: [], warnings: [] };
    recorded.value = build({
      catalog: context.catalog,
      clusters: {
        ref: (service, tags = {}) => {
          recorded.refs.push([service, tags]);
          return context.clusters.ref(service, tags);
        },
      },
      warn: (origins, reason) => {
        recorded.warnings.push([origins, reason]);
        context.warn(origins, reason);
      },
    });
    this.entries.set(key, recorded);
    return recorded.value as T;
  }
}
