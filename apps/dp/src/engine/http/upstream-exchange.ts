import type { AttemptOutcome } from "./retry-policy";
import type { ResponseHandlers, UpstreamConnection, UpstreamFailure } from "./upstream-connection";
import type { ConnectionRequest, UpstreamPool } from "./upstream-pool";
import type { Expirable } from "./deadline";
import type { RequestBodySink } from "./downstream-request";

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

/** A request body that may still be arriving (DownstreamRequest): sent whole when it is, else as it streams. */
export interface RequestBody {
  /** The whole body, when it has arrived and is kept. */
  whole(): Buffer | undefined;
  /** False when the body can no longer be sent from its first byte. */
  streamTo(sink: RequestBodySink): boolean;
  detach(sink: RequestBodySink): void;
  /** The sink has room again. */
  resume(): void;
}

/** One attempt's request: its head, and its body whole or streaming (chunked on the wire unless the head gives its length). */
export interface OutgoingRequest {
  head: string;
  body: Buffer | RequestBody;
  chunked: boolean;
  /** A HEAD request: the response has no body, whatever its headers say. */
  skipBody: boolean;
}

const discarding: BodySink = { write: () => true, end: () => {}, abort: () => {} };

/**
 * One try of a request on a pooled connection: its result is the response head (status and a body to stream) or
 * the failure (connect failure, reset, per-try timeout); a new connection must connect within connectTimeoutMs.
 * The per-try timeout runs from the request's end, as Envoy's.
 */
export function sendUpstream(pool: UpstreamPool, host: string, port: number, request: OutgoingRequest, timeoutMs: number | undefined, connectTimeoutMs: number): UpstreamExchange {
  const exchange = new UpstreamExchange(pool, request, connectTimeoutMs, timeoutMs);
  exchange.start(host, port);
  return exchange;
}

// A class rather than closures: one object per request instead of a dozen functions, each named at run time.
export class UpstreamExchange implements ConnectionRequest, ResponseHandlers, UpstreamResponse, Expirable, RequestBodySink {
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
    private readonly request: OutgoingRequest,
    private readonly connectTimeoutMs: number,
    private readonly timeoutMs: number | undefined,
  ) {
    this.result = new Promise((resolve) => (this.#resolve = resolve));
  }

  start(host: string, port: number): void {
    if (Buffer.isBuffer(this.request.body)) this.#startTimer();
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
    const { head, body, chunked, skipBody } = this.request;
    if (Buffer.isBuffer(body)) return next.send(head, body, skipBody, this);
    next.sendHead(head, chunked, skipBody, this);
    // The body has been let go of meanwhile (another attempt sent it past the buffer limit).
    if (!body.streamTo(this)) next.destroy();
  }

  /** A chunk of a streaming request body. */
  write(chunk: Buffer): boolean {
    const connection = this.#connection as UpstreamConnection;
    if (connection.writeBody(chunk)) return true;
    connection.socket.once("drain", () => (this.request.body as RequestBody).resume());
    return false;
  }

  end(): void {
    this.#connection?.endBody();
    if (!this.#settled) this.#startTimer();
  }

  /** The downstream went away mid-body: the upstream request cannot be completed. */
  abort(): void {
    this.#connection?.destroy();
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
    this.#detachBody();
    const connection = this.#connection as UpstreamConnection;
    // Paused by a full downstream whose drain may never come now that the response ends: the next exchange reads again.
    connection.resume();
    this.pool.release(connection);
    this.#sink?.end();
  }

  onFailure(failure: UpstreamFailure): void {
    if (!this.#settled) return this.#fail(failure);
    this.#detachBody();
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

  #startTimer(): void {
    if (this.timeoutMs !== undefined) this.#timer = setTimeout(() => this.#fail("per-try-timeout"), this.timeoutMs);
  }

  #detachBody(): void {
    if (!Buffer.isBuffer(this.request.body)) this.request.body.detach(this);
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#connectTimer);
  }

  #fail(failure: "per-try-timeout" | UpstreamFailure): void {
    if (this.#settled) return;
    this.#settle();
    this.#detachBody();
    this.pool.withdraw(this);
    this.#connection?.destroy();
    this.#resolve({ outcome: { failure } });
  }
}
