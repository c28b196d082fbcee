import type net from "node:net";
import { hasInvalidHeaderChar, HTTPParser, isHttpToken } from "./llhttp";

export type UpstreamFailure = "connect-failure" | "reset";

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

/** The whole head for one attempt: the lines, the endpoint as host when the request names none, the body's length. */
export function requestHeadFor(lines: string, hasHost: boolean, endpointHost: string, contentLength: number): string {
  return `${lines}${hasHost ? "" : `host: ${endpointHost}\r\n`}content-length: ${contentLength}\r\n\r\n`;
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
  #headers: string[] = [];
  connected: boolean;
  reusable = false;

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
      this.reusable = this.#keepAlive;
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

  /** Writes the request (head and whole body in one write) and reports the response to `handlers`. */
  send(head: string, body: Buffer, skipBody: boolean, handlers: ResponseHandlers): void {
    this.reusable = false;
    this.#skipBody = skipBody;
    this.#final = false;
    this.#handlers = handlers;
    this.socket.cork();
    this.socket.write(head, "latin1");
    if (body.length > 0) this.socket.write(body);
    this.socket.uncork();
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
