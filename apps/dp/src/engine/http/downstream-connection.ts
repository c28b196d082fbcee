import type net from "node:net";
import { DownstreamRequest, incomingHeaders, type BodyFlow } from "./downstream-request";
import { DownstreamResponse, type ResponseChannel, type ResponseWriter } from "./downstream-response";
import { HTTPParser, methods } from "./llhttp";

export type RequestHandler = (request: DownstreamRequest, response: ResponseWriter) => void;

export interface DownstreamTimeouts {
  /** No request in flight for this long closes the connection (idle_timeout); 0: never. */
  idleMs: number;
  /** A request in flight with no socket activity for this long closes the connection (stream_idle_timeout); 0: never. */
  streamIdleMs: number;
  /** A request's head and body must arrive within this, or it is answered 408 (request_timeout); 0: no limit. */
  requestMs: number;
  /** A request's head must arrive within this from its first byte, or it is answered 408 (request_headers_timeout); 0: no limit. */
  headersMs: number;
}

/** Pipelined requests waiting their turn beyond which the connection stops reading. */
const maxQueued = 32;

interface Exchange {
  request: DownstreamRequest;
  response: DownstreamResponse;
}

/**
 * Serves HTTP/1.1 (and 1.0) on one accepted connection with Node's llhttp parser: requests go to `handler` one at a
 * time, in order (pipelined ones wait), and the connection stays open between them unless either side closes it.
 */
export class DownstreamConnection implements ResponseChannel, BodyFlow {
  readonly #parser = new HTTPParser();
  #headers: string[] = [];
  #url = "";
  /** The request being parsed, until its end. */
  #parsing: DownstreamRequest | undefined;
  #requestTimer: NodeJS.Timeout | undefined;
  /** Runs from the first byte of a request's head until the head is whole (request_headers_timeout). */
  #headTimer: NodeJS.Timeout | undefined;
  /** In order; the first is being answered. */
  readonly #exchanges: Exchange[] = [];
  #stopped = false;
  #closing = false;
  /** Reading waits for the body being parsed to find room. */
  #bodyPaused = false;

  constructor(
    readonly socket: net.Socket,
    private readonly handler: RequestHandler,
    private readonly timeouts: DownstreamTimeouts,
  ) {
    const parser = this.#parser;
    parser.initialize(HTTPParser.REQUEST, {}, 0, 0);
    // A head that spans several reads arrives in parts before headers-complete.
    parser[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      this.#headers.push(...headers);
      this.#url += url;
    };
    parser[HTTPParser.kOnHeadersComplete] = (major: number, minor: number, headers: string[] | undefined, method: number, url: string | undefined, _status: number, _message: string, upgrade: boolean, keepAlive: boolean) => {
      this.#started(major, minor, headers ?? this.#headers, methods[method] ?? "GET", url || this.#url, upgrade, keepAlive);
      this.#headers = [];
      this.#url = "";
      return 0;
    };
    parser[HTTPParser.kOnBody] = (chunk: Buffer) => this.#parsing?.received(chunk);
    parser[HTTPParser.kOnMessageComplete] = () => {
      clearTimeout(this.#requestTimer);
      const request = this.#parsing;
      this.#parsing = undefined;
      this.#resumeBody();
      request?.ended();
    };
    socket.on("data", (data: Buffer) => {
      if (this.#stopped) return;
      if (timeouts.headersMs > 0 && this.#parsing === undefined && this.#headTimer === undefined) this.#headTimer = setTimeout(() => this.#headTimedOut(), timeouts.headersMs);
      const result = this.#parser.execute(data);
      if (result instanceof Error) this.#badRequest(result.code === "HPE_HEADER_OVERFLOW" ? 431 : 400);
    });
    socket.on("timeout", () => socket.destroy());
    socket.on("close", () => this.#closed());
    socket.on("error", () => {});
    if (timeouts.idleMs > 0) socket.setTimeout(timeouts.idleMs);
  }

  /** Closes the connection after the response in flight (with connection: close if its head is not out yet), or at the next one's end. */
  closeAfterResponses(): void {
    this.#closing = true;
    for (const { response } of this.#exchanges) if (!response.headersSent) response.closeConnection = true;
  }

  /** Closes now when no request is in flight, else after its response. */
  drain(): void {
    this.closeAfterResponses();
    if (this.#exchanges.length === 0) this.socket.destroy();
  }

  write(head: string, body?: Buffer, trailer?: string): boolean {
    const socket = this.socket;
    if (body === undefined && trailer === undefined) return socket.write(head, "latin1");
    if (head === "" && trailer === undefined) return socket.write(body as Buffer);
    socket.cork();
    if (head) socket.write(head, "latin1");
    if (body) socket.write(body);
    const flushed = trailer ? socket.write(trailer, "latin1") : !socket.writableNeedDrain;
    socket.uncork();
    return flushed;
  }
  destroyed(): boolean {
    return this.socket.destroyed;
  }
  destroy(): void {
    this.socket.destroy();
  }
  onDrain(listener: () => void): void {
    this.socket.once("drain", listener);
  }

  pauseBody(request: DownstreamRequest): void {
    if (request !== this.#parsing || this.#bodyPaused) return;
    this.#bodyPaused = true;
    this.socket.pause();
  }
  resumeBody(request: DownstreamRequest): void {
    if (request === this.#parsing) this.#resumeBody();
  }

  finished(response: DownstreamResponse): void {
    const exchange = this.#exchanges[0];
    if (exchange?.response !== response) return;
    this.#exchanges.shift();
    response.close();
    if (!exchange.request.complete) {
      // Answered before its body's end (denied, or the upstream answered early): as Envoy, the connection closes.
      // The rest of the body is read into nothing, so that the peer sees the response rather than a reset.
      exchange.request.failed();
      this.#stopped = true;
      this.#bodyPaused = false;
      this.socket.resume();
      this.socket.end();
      return;
    }
    if (response.closeConnection || this.#closing) {
      this.#stopped = true;
      this.socket.end();
      return;
    }
    if (this.socket.isPaused() && this.#exchanges.length < maxQueued && !this.#bodyPaused) this.socket.resume();
    if (this.#exchanges.length > 0) this.#dispatch(this.#exchanges[0] as Exchange);
    else if (this.timeouts.idleMs !== this.timeouts.streamIdleMs) this.socket.setTimeout(this.timeouts.idleMs);
  }

  #started(major: number, minor: number, rawHeaders: string[], method: string, url: string, upgrade: boolean, keepAlive: boolean): void {
    clearTimeout(this.#headTimer);
    this.#headTimer = undefined;
    const version = `${major}.${minor}`;
    const request = new DownstreamRequest(method, url, version, incomingHeaders(rawHeaders), this.socket.remoteAddress, this);
    const response = new DownstreamResponse(this, method, version);
    // After an upgrade request the bytes are no longer HTTP: the connection serves it and closes.
    if (!keepAlive || upgrade || this.#closing) response.closeConnection = true;
    if (upgrade) this.#stopped = true;
    this.#parsing = request;
    if (this.timeouts.requestMs > 0) this.#requestTimer = setTimeout(() => this.#requestTimedOut(request, response), this.timeouts.requestMs);
    this.#exchanges.push({ request, response });
    if (this.#exchanges.length === 1) this.#dispatch({ request, response });
    else if (this.#exchanges.length >= maxQueued) this.socket.pause();
  }

  #dispatch({ request, response }: Exchange): void {
    if (this.timeouts.idleMs !== this.timeouts.streamIdleMs) this.socket.setTimeout(this.timeouts.streamIdleMs);
    // Envoy answers 100-continue itself rather than forwarding it.
    if (request.headers.expect?.toLowerCase() === "100-continue" && !request.complete) this.socket.write("HTTP/1.1 100 Continue\r\n\r\n", "latin1");
    this.handler(request, response);
  }

  #resumeBody(): void {
    if (!this.#bodyPaused) return;
    this.#bodyPaused = false;
    if (this.#exchanges.length < maxQueued) this.socket.resume();
  }

  #requestTimedOut(request: DownstreamRequest, response: DownstreamResponse): void {
    if (request.complete) return;
    request.failed();
    if (response.headersSent || this.#exchanges[0]?.response !== response) {
      this.socket.destroy();
      return;
    }
    response.closeConnection = true;
    response.writeHead(408, { "content-type": "text/plain" }).end("request timeout");
  }

  /** Envoy's answer when a request's head is not whole in time: 408, and the connection closes. */
  #headTimedOut(): void {
    this.#headTimer = undefined;
    this.#stopped = true;
    if (this.#exchanges.length > 0) {
      this.socket.destroy();
      return;
    }
    this.socket.end("HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: 22\r\n\r\nrequest header timeout", "latin1");
  }

  #badRequest(status: 400 | 431): void {
    this.#stopped = true;
    if (this.#exchanges.length > 0) {
      this.socket.destroy();
      return;
    }
    this.socket.end(`HTTP/1.1 ${status} ${status === 400 ? "Bad Request" : "Request Header Fields Too Large"}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, "latin1");
  }

  #closed(): void {
    clearTimeout(this.#requestTimer);
    clearTimeout(this.#headTimer);
    this.#parsing?.failed();
    for (const { request, response } of this.#exchanges.splice(0)) {
      request.failed();
      response.close();
    }
    this.#stopped = true;
    // As Node frees a parser: after the stack that may be inside its callbacks has unwound.
    setImmediate(() => this.#parser.close());
  }
}
