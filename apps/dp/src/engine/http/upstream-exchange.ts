import type { AttemptOutcome } from "./retry-policy";
import type { ResponseHandlers, UpstreamConnection, UpstreamFailure } from "./upstream-connection";
import type { ConnectionRequest, UpstreamPool } from "./upstream-pool";
import type { Expirable } from "./deadline";

/** Where a response body goes; write returning false pauses the upstream until resume(). */
export interface BodySink {
  write(chunk: Buffer): boolean;
  end(): void;
  /** The upstream connection broke before the body's end. */
  abort(): void;
}

export interface UpstreamResponse {
  status: number;
  /** Header names and values as received, flat: [name, value, ...]. */
  rawHeaders: string[];
  /** Sends the body to `sink`, from the first byte (what arrived before this call is kept). */
  stream(sink: BodySink): void;
  resume(): void;
  /** Reads the rest of the body into nothing, so the connection goes back to the pool. */
  discard(): void;
  /** Closes the connection mid-body (overall timeout, downstream gone). */
  destroy(): void;
}

export type Attempt = { outcome: AttemptOutcome; response?: UpstreamResponse };

const discarding: BodySink = { write: () => true, end: () => {}, abort: () => {} };

/**
 * One try of a request on a pooled connection: its result is the response head (status and a body to stream) or
 * the failure (connect failure, reset, per-try timeout); a new connection must connect within connectTimeoutMs.
 */
export function sendUpstream(pool: UpstreamPool, host: string, port: number, head: string, body: Buffer, skipBody: boolean, timeoutMs: number | undefined, connectTimeoutMs: number): UpstreamExchange {
  const exchange = new UpstreamExchange(pool, head, body, skipBody, connectTimeoutMs);
  exchange.start(host, port, timeoutMs);
  return exchange;
}

// A class rather than closures: one object per request instead of a dozen functions, each named at run time.
export class UpstreamExchange implements ConnectionRequest, ResponseHandlers, UpstreamResponse, Expirable {
  status = 0;
  rawHeaders: string[] = [];
  readonly result: Promise<Attempt>;
  #resolve!: (attempt: Attempt) => void;
  #connection: UpstreamConnection | undefined;
  #settled = false;
  #timer: NodeJS.Timeout | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  readonly #pending: Buffer[] = [];
  #sink: BodySink | undefined;
  #ended = false;
  #aborted = false;

  constructor(
    private readonly pool: UpstreamPool,
    private readonly head: string,
    private readonly body: Buffer,
    private readonly skipBody: boolean,
    private readonly connectTimeoutMs: number,
  ) {
    this.result = new Promise((resolve) => (this.#resolve = resolve));
  }

  start(host: string, port: number, timeoutMs: number | undefined): void {
    if (timeoutMs !== undefined) this.#timer = setTimeout(() => this.#fail("per-try-timeout"), timeoutMs);
    this.pool.acquire(host, port, this);
  }

  /** The route's overall timeout ran out while waiting for the response head: reported as a per-try timeout, as by Envoy. */
  expire(): void {
    this.#fail("per-try-timeout");
  }

  onConnection(next: UpstreamConnection): void {
    if (this.#settled) return this.pool.release(next);
    this.#connection = next;
    if (!next.connected) {
      this.#connectTimer = setTimeout(() => this.#fail("connect-failure"), this.connectTimeoutMs);
      next.socket.once("connect", () => clearTimeout(this.#connectTimer));
    }
    next.send(this.head, this.body, this.skipBody, this);
  }

  onConnectionError(): void {
    this.#fail("connect-failure");
  }

  onHead(status: number, rawHeaders: string[]): void {
    this.status = status;
    this.rawHeaders = rawHeaders;
    this.#settle();
    this.#resolve({ outcome: { status }, response: this });
  }

  onData(chunk: Buffer): void {
    if (!this.#sink) this.#pending.push(chunk);
    else if (!this.#sink.write(chunk)) this.#connection?.pause();
  }

  onEnd(): void {
    this.#ended = true;
    const connection = this.#connection as UpstreamConnection;
    // Paused by a full downstream whose drain may never come now that the response ends: the next exchange reads again.
    connection.resume();
    this.pool.release(connection);
    this.#sink?.end();
  }

  onFailure(failure: UpstreamFailure): void {
    if (!this.#settled) return this.#fail(failure);
    this.#aborted = true;
    this.#sink?.abort();
  }

  stream(target: BodySink): void {
    this.#sink = target;
    for (const chunk of this.#pending.splice(0)) if (!target.write(chunk)) this.#live()?.pause();
    if (this.#ended) target.end();
    else if (this.#aborted) target.abort();
  }

  resume(): void {
    this.#live()?.resume();
  }

  discard(): void {
    this.#pending.length = 0;
    this.#sink = discarding;
    this.#live()?.resume();
  }

  destroy(): void {
    if (this.#ended || this.#aborted) return;
    this.#aborted = true;
    this.#connection?.destroy();
  }

  // Once the response has ended the connection is back in the pool, maybe carrying another exchange: hands off.
  #live(): UpstreamConnection | undefined {
    return this.#ended || this.#aborted ? undefined : this.#connection;
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#connectTimer);
  }

  #fail(failure: "per-try-timeout" | UpstreamFailure): void {
    if (this.#settled) return;
    this.#settle();
    this.pool.withdraw(this);
    this.#connection?.destroy();
    this.#resolve({ outcome: { failure } });
  }
}
