import type { ChangeEvent, ChangeListener } from "../types";

/** How a backend gets change events from committed writes to every subscriber. */
export interface ChangeFeed {
  /** Told of the changes of each write once it committed. */
  committed(events: ChangeEvent[]): void;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}
