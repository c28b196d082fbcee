import type { TokenBucket } from "@zonemesh/xds";
import { durationMs } from "./duration";

/** Envoy's token bucket: full (max_tokens) at first, tokens_per_fill (1) more each fill_interval (1 s), never above max_tokens. */
export class Tokens {
  readonly #capacity: number;
  readonly #perFill: number;
  readonly #fillMs: number;
  #tokens: number;
  #lastFill = Date.now();

  constructor(bucket: TokenBucket) {
    this.#capacity = bucket.max_tokens;
    this.#perFill = bucket.tokens_per_fill?.value ?? 1;
    this.#fillMs = durationMs(bucket.fill_interval, 1000);
    this.#tokens = this.#capacity;
  }

  /** Takes a token if one is left. */
  take(): boolean {
    const fills = Math.floor((Date.now() - this.#lastFill) / this.#fillMs);
    if (fills > 0) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + fills * this.#perFill);
      this.#lastFill += fills * this.#fillMs;
    }
    if (this.#tokens <= 0) return false;
    this.#tokens--;
    return true;
  }
}
