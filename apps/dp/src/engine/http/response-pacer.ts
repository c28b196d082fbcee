/** Where paced bytes go: `write` is false while the destination's buffer is full, until the listener of `onDrain` runs. */
export interface PacedSink {
  write(chunk: Buffer): boolean;
  onDrain(listener: () => void): void;
}

/**
 * Envoy's fault response_rate_limit: a response body leaves at no more than `bytesPerSecond`, in slices of 1/20 s
 * worth (the first one at once). While bytes wait, `write` is false and the source is to pause until `resume`.
 */
export class ResponsePacer {
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #sent = 0;
  readonly #start = Date.now();
  readonly #slice: number;
  #waiting = false;
  #paused = false;
  #timer: NodeJS.Timeout | undefined;
  #finish: (() => void) | undefined;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly sink: PacedSink,
    private readonly resume: () => void,
  ) {
    this.#slice = Math.max(1, Math.round(bytesPerSecond / 20));
  }

  write(chunk: Buffer): boolean {
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    this.#pump();
    this.#paused = this.#queued > 0;
    return !this.#paused;
  }

  /** Runs `finish` once every queued byte has left. */
  end(finish: () => void): void {
    this.#finish = finish;
    this.#pump();
  }

  destroy(): void {
    clearTimeout(this.#timer);
    this.#queue.length = 0;
    this.#queued = 0;
    this.#finish = undefined;
  }

  #pump(): void {
    if (this.#timer || this.#waiting) return;
    const elapsedSeconds = (Date.now() - this.#start) / 1000;
    let budget = Math.floor(this.#slice + elapsedSeconds * this.bytesPerSecond) - this.#sent;
    let flushed = true;
    while (budget > 0 && this.#queue.length > 0 && flushed) {
      const head = this.#queue[0] as Buffer;
      const piece = head.length <= budget ? head : head.subarray(0, budget);
      if (piece === head) this.#queue.shift();
      else this.#queue[0] = head.subarray(budget);
      budget -= piece.length;
      this.#sent += piece.length;
      this.#queued -= piece.length;
      flushed = this.sink.write(piece);
    }
    if (!flushed) {
      this.#waiting = true;
      this.sink.onDrain(() => {
        this.#waiting = false;
        this.#pump();
      });
      return;
    }
    if (this.#queued > 0) {
      const due = ((this.#sent + Math.min(this.#queued, this.#slice) - this.#slice) / this.bytesPerSecond) * 1000 - (Date.now() - this.#start);
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, Math.max(1, Math.ceil(due)));
      return;
    }
    if (this.#finish) {
      const finish = this.#finish;
      this.#finish = undefined;
      finish();
    } else if (this.#paused) {
      this.#paused = false;
      this.resume();
    }
  }
}
