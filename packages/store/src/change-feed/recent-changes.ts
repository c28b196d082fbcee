/**
 * The ids of the changes heard within `windowMs` of the latest one (by the database's clock), so that a catch-up read
 * of that window delivers only what was missed. Ids leave in the order they were heard.
 */
export class RecentChanges {
  readonly #windowMs: number;
  readonly #ids = new Set<number>();
  readonly #heard: { id: number; at: number }[] = [];
  #head = 0;
  #latestAt: number | undefined;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** The time of the latest change heard (or of the first connection); undefined before either. */
  latestAt(): number | undefined {
    return this.#latestAt;
  }

  advance(at: number): void {
    this.#latestAt = Math.max(this.#latestAt ?? at, at);
    const oldest = this.#latestAt - this.#windowMs;
    while (this.#head < this.#heard.length && this.#heard[this.#head]!.at < oldest) this.#ids.delete(this.#heard[this.#head++]!.id);
    if (this.#head > 1024 && this.#head * 2 > this.#heard.length) {
      this.#heard.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Records a change; false when it was heard already. */
  add(id: number, at: number): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    this.#heard.push({ id, at });
    this.advance(at);
    return true;
  }
}
