import type net from "node:net";
import { hasInvalidHeaderChar, HTTPParser, isHttpToken } from "./llhttp";

/** Why an upstream exchange got no response: no connection, a reset, or (HTTP/2) a stream the server refused unprocessed. */
/** "overflow": no connection pool was free for the endpoint (max_connection_pools). */
export type UpstreamFailure = "connect-failure" | "reset" | "refused-stream" | "overflow";

/** What one exchange hears back; the callbacks run in this order, onFailure instead of any later step. */
export interface ResponseHandlers {
  onHead(status: number, rawHeaders: string[]): void;
  onData(chunk: Buffer): void;
  onEnd(): void;
  onFailure(failure: UpstreamFailure): void;
}

const informational = (status: number) => status >= 100 && status < 200 && status !== 101;

/** ClientRequest's rule for a path: no control character, space or character beyond latin1 on the request line. */
const invalidPath = /[^\u0021-\u00ff]/;

function headerLine(name: string, value: string): string {
  if (!isHttpToken(name)) throw new Error(`header name ${JSON.stringify(name)} is not a valid HTTP token`);
  if (hasInvalidHeaderChar(value)) throw new Error(`header ${name} has a control character`);
  return `${name}: ${value}\r\n`;
}

/**
 * The request line and headers in HTTP/1.1 wire form, without host when it is missing and without content-length:
 * those depend on the attempt (requestHeadFor). Header values from the downstream parser are already valid; those
 * from route config and rewrites are checked here, as ClientRequest did (and as responses are), before any attempt starts.
 */
export function requestHeadLines(method: string, path: string, headers: Record<string, string | string[]>): string {
  if (invalidPath.test(path)) throw new Error("the request path has a character not allowed on the request line");
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const name in headers) {
    if (name === "content-length") continue;
    const value = headers[name] as string | string[];
    if (typeof value === "string") head += headerLine(name, value);
    else for (const item of value) head += headerLine(name, item);
  }
  return head;
}

/**
 * The whole head for one attempt: the lines, the endpoint as host when the request names none, and the body's
 * length, or chunked framing for a body of unknown length.
 */
export function requestHeadFor(lines: string, hasHost: boolean, endpointHost: string, contentLength: number | undefined): string {
  const framing = contentLength === undefined ? "transfer-encoding: chunked" : `content-length: ${contentLength}`;
  return `${lines}${hasHost ? "" : `host: ${endpointHost}\r\n`}${framing}\r\n\r\n`;
}

/**
 * One keep-alive HTTP/1.1 connection to an upstream host, one exchange at a time. `reusable` is true once a
 * response has ended on a connection both sides keep open.
 */
export class UpstreamConnection {
  readonly #parser = new HTTPParser();
  #handlers: ResponseHandlers | undefined;
  #skipBody = false;
  #final = false;
  #keepAlive = false;
  #parserClosed = false;
  /** The request has been written whole: only then can the connection carry another. */
  #requestSent = false;
  #chunked = false;
  #headers: string[] = [];
  connected: boolean;
  reusable = false;
  /** When it was opened: max_connection_duration counts from then. */
  readonly openedAt = Date.now();
  /** When it last went back to its pool: idle_timeout counts from then. */
  idleSince = this.openedAt;

  constructor(readonly socket: net.Socket, readonly key: string) {
    this.connected = !socket.connecting;
    const parser = this.#parser;
    parser.initialize(HTTPParser.RESPONSE, {}, 0, 0);
    // Headers that span several reads arrive in parts before headers-complete.
    parser[HTTPParser.kOnHeaders] = (headers: string[]) => this.#headers.push(...headers);
    parser[HTTPParser.kOnHeadersComplete] = (_major: number, _minor: number, headers: string[] | undefined, _method: unknown, _url: unknown, status: number, _message: string, _upgrade: boolean, keepAlive: boolean) => {
      const raw = headers ?? this.#headers;
      this.#headers = [];
      if (informational(status)) return 1;
      this.#final = true;
      this.#keepAlive = keepAlive;
      this.#handlers?.onHead(status, raw);
      // No body after a HEAD request or a 204/304, whatever the headers say.
      return this.#skipBody || status === 204 || status === 304 ? 1 : 0;
    };
    parser[HTTPParser.kOnBody] = (chunk: Buffer) => this.#handlers?.onData(chunk);
    parser[HTTPParser.kOnMessageComplete] = () => {
      if (!this.#final) return;
      const handlers = this.#handlers;
      this.#handlers = undefined;
      this.reusable = this.#keepAlive && this.#requestSent;
      handlers?.onEnd();
    };
    socket.on("connect", () => (this.connected = true));
    socket.on("data", (data: Buffer) => {
      const result = this.#parser.execute(data);
      if (result instanceof Error) this.#fail();
    });
    socket.on("end", () => {
      // A body delimited by the connection's end completes here.
      if (this.#handlers) this.#parser.finish();
      this.#fail();
    });
    socket.on("close", () => this.#fail());
    socket.on("error", () => {});
  }

  /** Writes a request with its whole body (in one write) and reports the response to `handlers`. */
  send(head: string, body: Buffer, skipBody: boolean, handlers: ResponseHandlers): void {
    this.#start(skipBody, handlers);
    this.#requestSent = true;
    this.socket.cork();
    this.socket.write(head, "latin1");
    if (body.length > 0) this.socket.write(body);
    this.socket.uncork();
  }

  /** Writes a request's head; its body follows with writeBody and endBody, chunked when `chunked`. */
  sendHead(head: string, chunked: boolean, skipBody: boolean, handlers: ResponseHandlers): void {
    this.#start(skipBody, handlers);
    this.#chunked = chunked;
    this.socket.write(head, "latin1");
  }

  /** False when the socket's buffer is full: wait for its drain. */
  writeBody(chunk: Buffer): boolean {
    if (!this.#chunked) return this.socket.write(chunk);
    // An empty chunk would end the body.
    if (chunk.length === 0) return true;
    this.socket.cork();
    this.socket.write(`${chunk.length.toString(16)}\r\n`, "latin1");
    this.socket.write(chunk);
    const flushed = this.socket.write("\r\n", "latin1");
    this.socket.uncork();
    return flushed;
  }

  endBody(): void {
    this.#requestSent = true;
    if (this.#chunked) this.socket.write("0\r\n\r\n", "latin1");
  }

  #start(skipBody: boolean, handlers: ResponseHandlers): void {
    this.reusable = false;
    this.#requestSent = false;
    this.#skipBody = skipBody;
    this.#final = false;
    this.#handlers = handlers;
  }

  /** Backpressure from the downstream response. */
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }

  /** Closes the connection; an exchange on it fails as a reset (or a connect failure), as when the peer closes. */
  destroy(): void {
    this.#fail();
  }

  #fail(): void {
    const handlers = this.#handlers;
    this.#handlers = undefined;
    this.reusable = false;
    if (!this.socket.destroyed) this.socket.destroy();
    if (!this.#parserClosed) {
      this.#parserClosed = true;
      // As Node frees a ClientRequest's parser: after the stack that may be inside its callbacks has unwound.
      setImmediate(() => this.#parser.close());
    }
    handlers?.onFailure(this.connected ? "reset" : "connect-failure");
  }
}
