import type { ChangeEvent, ChangeListener } from "../types";
import type { TransactionClient } from "../prisma-client";

/** How a backend gets change events from a committed write to every subscriber. */
export interface ChangeFeed {
  /** Called inside the write transaction, so that publishing commits or rolls back with it. */
  publish(tx: TransactionClient, events: ChangeEvent[]): Promise<void>;
  /** Called after the transaction committed. */
  committed(events: ChangeEvent[]): void;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}
