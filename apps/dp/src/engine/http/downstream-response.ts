import { STATUS_CODES } from "node:http";
import type { HeaderMap } from "./headers";
import { hasInvalidHeaderChar, isHttpToken } from "./llhttp";

/** Framing and connection headers are the response's own business, whatever the caller passes. */
const framing = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/** How the router and the filters answer a request, over HTTP/1.1 (DownstreamResponse) or HTTP/2 (Http2DownstreamResponse). */
export interface ResponseWriter {
  statusCode: number;
  readonly headersSent: boolean;
  /** The connection (or the HTTP/2 stream) is gone. */
  readonly destroyed: boolean;
  /** Status and headers, as a map or as a flat [name, value, ...] list; sent with the first write. */
  writeHead(status: number, headers?: HeaderMap | readonly string[]): this;
  /** A body chunk; false when the buffer is full (wait for onDrain). */
  write(chunk: Buffer): boolean;
  /** The end of the response; `trailers` go to an HTTP/2 downstream (HTTP/1.1 responses drop them). */
  end(body?: string | Buffer, trailers?: HeaderMap): void;
  /** Cuts the response short, unless it has been written whole. */
  destroy(): void;
  onDrain(listener: () => void): void;
  /** Called once: at the end, or when the connection closes first. */
  onClose(listener: () => void): void;
}

/** What a response needs of its connection. */
export interface ResponseChannel {
  /** One corked write: `head` and `trailer` in latin1; false when the socket's buffer is full. */
  write(head: string, body?: Buffer, trailer?: string): boolean;
  destroyed(): boolean;
  destroy(): void;
  onDrain(listener: () => void): void;
  /** The response has been written whole. */
  finished(response: DownstreamResponse): void;
}

/**
 * One response, written on the downstream connection: the head goes out with the first body bytes (or the end),
 * framed by the given content-length, by the body's length when it is all known, or chunked (HTTP/1.0: to the
 * connection's close).
 */
export class DownstreamResponse implements ResponseWriter {
  statusCode = 200;
  headersSent = false;
  /** Set before the head goes out: the connection closes after this response. */
  closeConnection = false;
  #fields = "";
  #length: number | undefined;
  #chunked = false;
  #ended = false;
  #closed = false;
  readonly #closeListeners: (() => void)[] = [];

  constructor(
    private readonly channel: ResponseChannel,
    private readonly method: string,
    private readonly httpVersion: string,
  ) {}

  /** Status and headers, as a map or as a flat [name, value, ...] list; sent with the first write. */
  writeHead(status: number, headers: HeaderMap | readonly string[] = {}): this {
    if (this.headersSent) throw new Error("the response head has been sent already");
    this.statusCode = status;
    this.#fields = "";
    this.#length = undefined;
    if (Array.isArray(headers)) for (let index = 0; index < headers.length; index += 2) this.#field(headers[index] as string, headers[index + 1] as string);
    else
      for (const name in headers as HeaderMap) {
        const value = (headers as HeaderMap)[name] as string | string[];
        if (typeof value === "string") this.#field(name, value);
        else for (const item of value) this.#field(name, item);
      }
    return this;
  }

  /** The connection is gone. */
  get destroyed(): boolean {
    return this.channel.destroyed();
  }

  /** A body chunk; false when the connection's buffer is full (wait for onDrain). */
  write(chunk: Buffer): boolean {
    if (this.#ended || this.channel.destroyed()) return false;
    const head = this.headersSent ? "" : this.#head(undefined);
    if (this.#bodiless() || chunk.length === 0) return head ? this.channel.write(head) : true;
    if (this.#chunked) return this.channel.write(`${head}${chunk.length.toString(16)}\r\n`, chunk, "\r\n");
    return this.channel.write(head, chunk);
  }

  end(body?: string | Buffer): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.channel.destroyed()) return;
    const data = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : body;
    const head = this.headersSent ? "" : this.#head(data?.length ?? 0);
    if (this.#bodiless() || !data || data.length === 0) {
      const rest = this.#chunked ? `${head}0\r\n\r\n` : head;
      if (rest) this.channel.write(rest);
    } else if (this.#chunked) this.channel.write(`${head}${data.length.toString(16)}\r\n`, data, "\r\n0\r\n\r\n");
    else this.channel.write(head, data);
    this.channel.finished(this);
  }

  /** Cuts the connection, unless the response has been written whole. */
  destroy(): void {
    if (!this.#ended) this.channel.destroy();
  }

  onDrain(listener: () => void): void {
    this.channel.onDrain(listener);
  }

  /** Called once: at the end, or when the connection closes first. */
  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  /** From the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#closeListeners.splice(0)) listener();
  }

  #field(name: string, value: string): void {
    const lower = name.toLowerCase();
    if (lower === "content-length") {
      const length = Number(value);
      this.#length = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    }
    if (framing.has(lower)) return;
    if (!isHttpToken(name)) throw new Error(`response header name ${JSON.stringify(name)} is not a valid HTTP token`);
    if (hasInvalidHeaderChar(value)) throw new Error(`response header ${name} has a control character`);
    this.#fields += `${name}: ${value}\r\n`;
  }

  #bodiless(): boolean {
    return this.method === "HEAD" || this.statusCode === 204 || this.statusCode === 304;
  }

  /** The head, now that it goes out; `knownLength` when the whole body is known. */
  #head(knownLength: number | undefined): string {
    this.headersSent = true;
    let framingFields = "";
    if (this.#length !== undefined) framingFields = `content-length: ${this.#length}\r\n`;
    else if (this.statusCode === 204 || this.statusCode === 304) framingFields = "";
    // A HEAD response tells the length the GET's body would have, when it is given.
    else if (knownLength !== undefined) framingFields = this.method === "HEAD" && knownLength === 0 ? "" : `content-length: ${knownLength}\r\n`;
    else if (this.httpVersion === "1.1") {
      this.#chunked = this.method !== "HEAD";
      framingFields = this.#chunked ? "transfer-encoding: chunked\r\n" : "";
    } else this.closeConnection = true;
    const connection = this.closeConnection ? "connection: close\r\n" : this.httpVersion === "1.0" ? "connection: keep-alive\r\n" : "";
    const reason = STATUS_CODES[this.statusCode] ?? "Unknown";
    return `HTTP/1.1 ${this.statusCode} ${reason}\r\n${this.#fields}${framingFields}${connection}\r\n`;
  }
}
