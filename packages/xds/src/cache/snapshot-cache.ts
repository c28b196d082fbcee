import type { TypeUrl } from "../protos/type-urls";
import { findInconsistencies } from "./consistency";
import { buildSnapshot, type Snapshot, type SnapshotResources } from "./snapshot";

export type SnapshotWatcher = (snapshot: Snapshot, changedTypes: readonly TypeUrl[]) => void;

/** Per-node snapshots, set atomically, with watchers notified when a node's content changes. */
export class SnapshotCache {
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #watchers = new Map<string, Set<SnapshotWatcher>>();

  /**
   * Replaces the node's snapshot. Throws (leaving the old one in place) if a resource is invalid
   * or the snapshot is inconsistent. Returns the types whose content changed; none if identical.
   * The resource objects are encoded once and shared between nodes: do not mutate them afterwards.
   */
  setSnapshot(nodeId: string, resources: SnapshotResources): { changedTypes: TypeUrl[] } {
    const previous = this.#snapshots.get(nodeId);
    const snapshot = buildSnapshot(resources, previous);
    const problems = findInconsistencies(snapshot, previous);
    if (problems.length > 0) throw new Error(`inconsistent snapshot for node "${nodeId}": ${problems.join("; ")}`);
    const changedTypes = [...snapshot.types].filter(([typeUrl, type]) => previous?.types.get(typeUrl)?.version !== type.version).map(([typeUrl]) => typeUrl);
    if (changedTypes.length === 0) return { changedTypes };
    this.#snapshots.set(nodeId, snapshot);
    for (const watcher of this.#watchers.get(nodeId) ?? []) watcher(snapshot, changedTypes);
    return { changedTypes };
  }

  getSnapshot(nodeId: string): Snapshot | undefined {
    return this.#snapshots.get(nodeId);
  }

  /** Forgets the node's snapshot; connected streams keep what they were sent. */
  clearSnapshot(nodeId: string): void {
    this.#snapshots.delete(nodeId);
  }

  nodeIds(): string[] {
    return [...this.#snapshots.keys()];
  }

  /** Calls the watcher on every change of the node's snapshot; returns the function that stops it. */
  watch(nodeId: string, watcher: SnapshotWatcher): () => void {
    let watchers = this.#watchers.get(nodeId);
    if (!watchers) this.#watchers.set(nodeId, (watchers = new Set()));
    watchers.add(watcher);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.#watchers.get(nodeId) === watchers) this.#watchers.delete(nodeId);
    };
  }

  watcherCount(): number {
    let count = 0;
    for (const watchers of this.#watchers.values()) count += watchers.size;
    return count;
  }
}
