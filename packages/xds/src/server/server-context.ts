import type { SnapshotCache } from "../cache/snapshot-cache";
import type { AdsCallbacks } from "./callbacks";
import type { NodeStatusRegistry } from "./node-status";

/** What every stream of one server shares. */
export interface ServerContext {
  cache: SnapshotCache;
  callbacks: AdsCallbacks;
  registry: NodeStatusRegistry;
  firstRequestTimeoutMs: number;
  nextStreamId(): number;
  nextNonce(): string;
  /** Closers of the open streams, so the server can end them all. */
  openStreams: Set<(error: { code: number; details: string }) => void>;
}
