export { SnapshotCache, type SnapshotWatcher } from "./snapshot-cache";
export { versionOf, type Snapshot, type SnapshotResources, type TypeSnapshot, type CachedResource } from "./snapshot";
