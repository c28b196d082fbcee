import type http from "node:http";

const noBody = Buffer.alloc(0);

/** Headers whose repeats Node's http server drops (the first one counts); set-cookie repeats make a list. */
const firstWins = new Set(["content-type", "content-length", "user-agent", "referer", "host", "authorization", "proxy-authorization", "if-modified-since", "if-unmodified-since", "from", "location", "max-forwards", "retry-after", "etag", "last-modified", "server", "age", "expires"]);

/** The request's headers by lower-case name, repeats joined as Node's http server joins them. */
export function incomingHeaders(rawHeaders: readonly string[]): http.IncomingHttpHeaders {
  const headers: http.IncomingHttpHeaders = {};
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toLowerCase();
    const value = rawHeaders[index + 1] as string;
    const existing = headers[name];
    if (existing === undefined) headers[name] = name === "set-cookie" ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (!firstWins.has(name)) headers[name] = `${existing}${name === "cookie" ? "; " : ", "}${value}`;
  }
  return headers;
}

/** Where a request body goes as it arrives; write returning false pauses the downstream until resume(). */
export interface RequestBodySink {
  write(chunk: Buffer): boolean;
  end(): void;
  /** The body will not arrive whole: the downstream went away or was too slow. */
  abort(): void;
}

/** The downstream connection's reading of this request's body: paused while the body has nowhere to go. */
export interface BodyFlow {
  pauseBody(request: DownstreamRequest): void;
  resumeBody(request: DownstreamRequest): void;
}

/** Whether an HTTP/1 request has a body: not without content-length or transfer-encoding (RFC 9112 6.3). */
function http1BodyFollows(headers: http.IncomingHttpHeaders): boolean {
  const length = headers["content-length"];
  return headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** Envoy's default for per_request_buffer_limit_bytes (the listener's per-connection buffer limit, 1 MiB). */
export const defaultBufferLimitBytes = 1024 * 1024;

/**
 * One request as a downstream sent it. Its body streams to one sink at a time (an upstream attempt) and is kept
 * for a replay (retry, mirror) up to a buffer limit; past it the kept part is let go once sent. Reading pauses while
 * the sink is full, or while there is no sink and more than the limit waits, so a large upload holds about the
 * limit in memory at most.
 */
export class DownstreamRequest {
  /** Received and not let go of: all of it while within the limit, else what the sink has not had. */
  readonly #chunks: Buffer[] = [];
  /** How many of #chunks the sink has had. */
  #sent = 0;
  #bytes = 0;
  #limit = defaultBufferLimitBytes;
  /** Within the limit: chunks are kept once sent. */
  #keeping = true;
  /** Some of the body has been let go: it cannot be sent from its first byte again. */
  #dropped = false;
  #complete: boolean;
  #failed = false;
  #sink: RequestBodySink | undefined;
  #sinkFull = false;
  #paused = false;
  #whole: Buffer | undefined;
  #onComplete: (() => void)[] | undefined;

  constructor(
    readonly method: string,
    readonly url: string,
    /** "1.1" or "1.0". */
    readonly httpVersion: string,
    readonly headers: http.IncomingHttpHeaders,
    readonly remoteAddress: string | undefined,
    private readonly flow: BodyFlow,
    hasBody = http1BodyFollows(headers),
  ) {
    this.#complete = !hasBody;
  }

  get complete(): boolean {
    return this.#complete;
  }
  /** The body can be sent (again) from its first byte. */
  get replayable(): boolean {
    return !this.#dropped && !this.#failed;
  }
  /** Body bytes received so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The buffer limit of the route the request takes (per_request_buffer_limit_bytes). */
  limitBuffer(bytes: number): void {
    this.#limit = bytes;
    if (this.#bytes > bytes) this.#overflowed();
  }

  /** The whole body, once it has arrived, if it was kept. */
  whole(): Buffer | undefined {
    if (!this.#complete || !this.replayable) return undefined;
    if (this.#whole === undefined) this.#whole = this.#chunks.length === 0 ? noBody : this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    return this.#whole;
  }

  /** Runs `listener` once the body has arrived whole (now if it has), unless it never does. */
  whenComplete(listener: () => void): void {
    if (this.#complete) listener();
    else (this.#onComplete ??= []).push(listener);
  }

  /** Sends the body to `sink` from its first byte, then as it arrives; false when that is no longer possible. */
  streamTo(sink: RequestBodySink): boolean {
    if (!this.replayable) return false;
    this.#sink = sink;
    this.#sent = 0;
    this.#sinkFull = false;
    this.#flush();
    return true;
  }

  /** `sink` takes no more of the body (its attempt has ended). */
  detach(sink: RequestBodySink): void {
    if (this.#sink !== sink) return;
    this.#sink = undefined;
    this.#sinkFull = false;
    this.#updateFlow();
  }

  /** The sink has room again. */
  resume(): void {
    this.#sinkFull = false;
    this.#updateFlow();
  }

  /** From the connection's parser. */
  received(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    if (this.#keeping && this.#bytes > this.#limit) this.#overflowed();
    if (this.#sink) this.#flush();
    else this.#updateFlow();
  }
  ended(): void {
    // A request without a body was complete from the start.
    if (this.#complete) return;
    this.#complete = true;
    this.#sink?.end();
    const listeners = this.#onComplete;
    this.#onComplete = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
  /** The body will not arrive whole: the connection closed, request_timeout ran out, or the response ended first. */
  failed(): void {
    if (this.#complete || this.#failed) return;
    this.#failed = true;
    this.#chunks.length = 0;
    this.#onComplete = undefined;
    const sink = this.#sink;
    this.#sink = undefined;
    sink?.abort();
  }

  #flush(): void {
    const sink = this.#sink as RequestBodySink;
    while (this.#sent < this.#chunks.length) if (!sink.write(this.#chunks[this.#sent++] as Buffer)) this.#sinkFull = true;
    if (!this.#keeping && this.#chunks.length > 0) {
      this.#chunks.length = 0;
      this.#sent = 0;
      this.#dropped = true;
    }
    this.#updateFlow();
    if (this.#complete && this.#sink === sink) sink.end();
  }

  #overflowed(): void {
    this.#keeping = false;
    this.#whole = undefined;
    if (this.#sent === 0) return;
    this.#chunks.splice(0, this.#sent);
    this.#sent = 0;
    this.#dropped = true;
  }

  #updateFlow(): void {
    const hold = this.#sink ? this.#sinkFull : this.#bytes > this.#limit;
    if (hold === this.#paused) return;
    this.#paused = hold;
    if (hold) this.flow.pauseBody(this);
    else this.flow.resumeBody(this);
  }
}
