export interface BackoffOptions {
  /** Delay before the first retry; default 500 ms. */
  initialDelayMs?: number;
  /** Cap of the doubling delay; default 30 s. */
  maxDelayMs?: number;
}

/** Doubling delays with jitter, so that many zones cut off together do not all redial at once. */
export class Backoff {
  private attempts = 0;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;

  constructor(options: BackoffOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
  }

  nextDelayMs(): number {
    const ceiling = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** this.attempts);
    this.attempts = Math.min(this.attempts + 1, 30);
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  reset(): void {
    this.attempts = 0;
  }
}
