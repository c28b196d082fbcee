import type { ChangeEvent, ChangeListener } from "../types";

/** The subscribers of one store; a throwing listener neither stops the others nor the writer. */
export class Listeners {
  private readonly listeners = new Set<ChangeListener>();

  add(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error("zonemesh store: a change listener failed", error);
      }
    }
  }
}
