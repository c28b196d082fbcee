import type { KdsResource, ResourceDelta } from "../resource";
import { keyString } from "../resource";

/** One side's store in tests: resources by type, with a change feed. */
export class MemoryStore {
  private readonly byType = new Map<string, Map<string, KdsResource>>();
  private readonly listeners = new Set<(type: string) => void>();

  put(type: string, resource: KdsResource): void {
    this.table(type).set(keyString(resource), resource);
    this.notify(type);
  }

  remove(type: string, mesh: string, name: string): void {
    this.table(type).delete(keyString({ mesh, name }));
    this.notify(type);
  }

  list(type: string): KdsResource[] {
    return [...this.table(type).values()];
  }

  apply(type: string, delta: ResourceDelta): void {
    const table = this.table(type);
    for (const { mesh, name, labels, body } of delta.upserted) table.set(keyString({ mesh, name }), { mesh, name, labels, body });
    for (const key of delta.removed) table.delete(keyString(key));
    this.notify(type);
  }

  subscribe(listener: (type: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  /** Every non-empty type's resources sorted by key, for exact comparison. */
  contents(): Record<string, KdsResource[]> {
    const contents: Record<string, KdsResource[]> = {};
    for (const [type, table] of [...this.byType].sort(([a], [b]) => a.localeCompare(b))) {
      if (table.size === 0) continue;
      contents[type] = [...table].sort(([a], [b]) => a.localeCompare(b)).map(([, resource]) => resource);
    }
    return contents;
  }

  private table(type: string): Map<string, KdsResource> {
    let table = this.byType.get(type);
    if (!table) this.byType.set(type, (table = new Map()));
    return table;
  }

  private notify(type: string): void {
    for (const listener of this.listeners) listener(type);
  }
}
