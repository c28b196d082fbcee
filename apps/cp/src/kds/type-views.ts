// The store's resources of the synced types, listed once per change however many zones ask for them.
import type { ResourceStore, StoredResource } from "@zonemesh/store";

export interface TypeViews {
  list(type: string): Promise<StoredResource[]>;
  /** `onChange(type)` after every committed change of one of the types. */
  subscribe(onChange: (type: string) => void): () => void;
  close(): void;
}

export function watchTypes(store: ResourceStore, types: readonly string[]): TypeViews {
  const watched = new Set(types);
  // A change drops the type's listing, also one still in flight: whoever got it is told of the change and asks again.
  const cached = new Map<string, Promise<StoredResource[]>>();
  const listeners = new Set<(type: string) => void>();
  const unsubscribe = store.subscribe((event) => {
    if (!watched.has(event.type)) return;
    cached.delete(event.type);
    for (const listener of listeners) listener(event.type);
  });
  return {
    list(type) {
      const hit = cached.get(type);
      if (hit) return hit;
      const listing = store.list({ type }).then((result) => result.items);
      cached.set(type, listing);
      listing.catch(() => {
        if (cached.get(type) === listing) cached.delete(type);
      });
      return listing;
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}
