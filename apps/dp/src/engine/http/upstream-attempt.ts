import type { EventEmitter } from "node:events";
import type { Expirable } from "./deadline";
import type { RequestBodySink } from "./downstream-request";
import type { HeaderMap } from "./headers";
import type { AttemptOutcome } from "./retry-policy";
import type { UpstreamFailure } from "./upstream-connection";

/** Where a response body goes; write returning false pauses the upstream until resume(). */
export interface BodySink {
  write(chunk: Buffer): boolean;
  /** The body's end, with the trailers that followed it (HTTP/2). */
  end(trailers?: HeaderMap): void;
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
  /** Reads the rest of the body into nothing, so the connection can be reused. */
  discard(): void;
  /** Closes the connection (or the stream) mid-body: overall timeout, downstream gone. */
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

const discarding: BodySink = { write: () => true, end: () => {}, abort: () => {} };

/**
 * One try of a request, over HTTP/1.1 (UpstreamExchange) or HTTP/2 (Http2Exchange): its result is the response head
 * (status and a body to stream) or the failure (connect failure, reset, per-try timeout). The per-try timeout runs
 * from the request's end, as Envoy's. A streaming request body comes in through the RequestBodySink side.
 */
// A class rather than closures: one object per request instead of a dozen functions, each named at run time.
export abstract class UpstreamAttempt implements UpstreamResponse, RequestBodySink, Expirable {
  status = 0;
  rawHeaders: string[] = [];
  readonly result: Promise<Attempt>;
  #resolve!: (attempt: Attempt) => void;
  protected settled = false;
  #timer: NodeJS.Timeout | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  readonly #pending: Buffer[] = [];
  #sink: BodySink | undefined;
  #trailers: HeaderMap | undefined;
  #ended = false;
  #aborted = false;

  constructor(
    protected readonly body: Buffer | RequestBody,
    private readonly timeoutMs: number | undefined,
  ) {
    this.result = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Pauses or resumes reading the response (backpressure from its sink). */
  protected abstract pauseResponse(): void;
  protected abstract resumeResponse(): void;
  /** Cuts the connection or the stream: the attempt failed, or the response is abandoned mid-body. */
  protected abstract cut(): void;
  /** RequestBodySink: the transport's side of a streaming request body. */
  abstract write(chunk: Buffer): boolean;
  protected abstract endRequest(): void;
  abstract abort(): void;

  /** The route's overall timeout ran out while waiting for the response head: reported as a per-try timeout, as by Envoy. */
  expire(): void {
    this.fail("per-try-timeout");
  }

  end(): void {
    this.endRequest();
    if (!this.settled) this.#startTimer();
  }

  stream(target: BodySink): void {
    this.#sink = target;
    for (const chunk of this.#pending.splice(0)) if (!target.write(chunk) && this.#live()) this.pauseResponse();
    if (this.#ended) target.end(this.#trailers);
    else if (this.#aborted) target.abort();
  }

  resume(): void {
    if (this.#live()) this.resumeResponse();
  }

  discard(): void {
    this.#pending.length = 0;
    this.#sink = discarding;
    if (this.#live()) this.resumeResponse();
  }

  destroy(): void {
    if (!this.#live()) return;
    this.#aborted = true;
    this.cut();
  }

  /** Sends the request's body: whole (and the per-try timer starts), or as it streams; false if it can no longer be sent. */
  protected sendBody(sendWhole: (body: Buffer) => void): boolean {
    if (Buffer.isBuffer(this.body)) {
      sendWhole(this.body);
      this.#startTimer();
      return true;
    }
    return this.body.streamTo(this);
  }

  /** A new connection must connect within `timeoutMs`, or the attempt fails as a connect failure. */
  protected connectWithin(timeoutMs: number, connection: EventEmitter): void {
    this.#connectTimer = setTimeout(() => this.fail("connect-failure"), timeoutMs);
    connection.once("connect", () => clearTimeout(this.#connectTimer));
  }

  protected responded(status: number, rawHeaders: string[], outcome: AttemptOutcome): void {
    this.status = status;
    this.rawHeaders = rawHeaders;
    this.#settle();
    this.#resolve({ outcome, response: this });
  }

  protected received(chunk: Buffer): void {
    if (!this.#sink) this.#pending.push(chunk);
    else if (!this.#sink.write(chunk)) this.pauseResponse();
  }

  /** The response's end; `handOff` runs before the sink hears of it (an HTTP/1.1 connection goes back to its pool). */
  protected responseEnded(trailers?: HeaderMap, handOff?: () => void): void {
    this.#ended = true;
    this.#trailers = trailers;
    this.#detachBody();
    handOff?.();
    this.#sink?.end(trailers);
  }

  /** The connection or the stream broke: the attempt fails before the response head, the relay after it. */
  protected broke(failure: UpstreamFailure): void {
    if (!this.settled) return this.fail(failure);
    if (this.#ended) return;
    this.#detachBody();
    this.#aborted = true;
    this.#sink?.abort();
  }

  protected fail(failure: "per-try-timeout" | UpstreamFailure): void {
    if (this.settled) return;
    this.#settle();
    this.#detachBody();
    this.cut();
    this.#resolve({ outcome: { failure } });
  }

  // Once the response has ended an HTTP/1.1 connection is back in the pool, maybe carrying another exchange: hands off.
  #live(): boolean {
    return !this.#ended && !this.#aborted;
  }

  #startTimer(): void {
    if (this.timeoutMs !== undefined) this.#timer = setTimeout(() => this.fail("per-try-timeout"), this.timeoutMs);
  }

  #detachBody(): void {
    if (!Buffer.isBuffer(this.body)) this.body.detach(this);
  }

  #settle(): void {
    this.settled = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#connectTimer);
  }
}
