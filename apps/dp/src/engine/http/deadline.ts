/** What a route's overall timeout ends when it expires: the attempt in flight, or the response body being relayed. */
export interface Expirable {
  expire(): void;
}

/**
 * A route's overall timeout, one timer per request for the route's fixed duration. Node keeps the timers of one
 * duration in one list; a timer for "what is left", a new duration each time, would create and delete a list per
 * request.
 */
export class Deadline {
  #at = Infinity;
  #timer: NodeJS.Timeout | undefined;
  #target: Expirable | undefined;
  #expired = false;
  #cleared = false;

  constructor(private readonly timeoutMs: number) {}

  /** Starts the timer (the request has arrived whole); 0 means no timeout. */
  start(): void {
    if (this.timeoutMs <= 0 || this.#cleared) return;
    this.#at = Date.now() + this.timeoutMs;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#target?.expire();
    }, this.timeoutMs);
  }

  /** Milliseconds left (all of them until started); none once the timer has fired (the event loop's clock may run a little behind Date.now()). */
  remaining(): number {
    return this.#expired ? 0 : this.#at - Date.now();
  }

  /** From now on the expiry ends `target`; at once if it has expired (the response head arrived as the timer fired). */
  ends(target: Expirable): void {
    this.#target = target;
    if (this.#expired) target.expire();
  }

  clear(): void {
    this.#cleared = true;
    clearTimeout(this.#timer);
    this.#target = undefined;
  }
}
