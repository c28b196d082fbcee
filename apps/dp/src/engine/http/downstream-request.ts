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

/** One request as a downstream sent it; the body arrives after the head, and is kept whole for retries. */
export class DownstreamRequest {
  readonly #chunks: Buffer[] = [];
  #complete = false;
  #failed: Error | undefined;
  #waiting: { resolve(body: Buffer): void; reject(error: Error): void } | undefined;

  constructor(
    readonly method: string,
    readonly url: string,
    /** "1.1" or "1.0". */
    readonly httpVersion: string,
    readonly headers: http.IncomingHttpHeaders,
    readonly remoteAddress: string | undefined,
  ) {}

  /** The whole body once it has arrived; at once for a request without content-length or transfer-encoding (RFC 9112 6.3). */
  body(): Promise<Buffer> {
    if (this.#failed) return Promise.reject(this.#failed);
    const length = this.headers["content-length"];
    if (this.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) return Promise.resolve(noBody);
    if (this.#complete) return Promise.resolve(Buffer.concat(this.#chunks));
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  get complete(): boolean {
    return this.#complete;
  }

  /** From the connection's parser. */
  received(chunk: Buffer): void {
    this.#chunks.push(chunk);
  }
  ended(): void {
    this.#complete = true;
    this.#waiting?.resolve(Buffer.concat(this.#chunks));
    this.#waiting = undefined;
  }
  /** The body will not arrive: the connection closed, or request_timeout ran out. */
  failed(reason: string): void {
    if (this.#complete) return;
    this.#failed = new Error(reason);
    this.#waiting?.reject(this.#failed);
    this.#waiting = undefined;
  }
}
