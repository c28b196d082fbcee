import http2 from "node:http2";
import type http from "node:http";
import type net from "node:net";
import { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
import type { DownstreamTimeouts, RequestHandler } from "./downstream-connection";
import { DownstreamRequest, type BodyFlow } from "./downstream-request";
import type { ResponseWriter } from "./downstream-response";
import { http2Fields, type HeaderMap } from "./headers";

/** HTTP/2's connection preface: a connection that opens with it speaks HTTP/2 with prior knowledge, as gRPC does. */
export const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * Reads a connection's first bytes, as many as tell HTTP/2's preface from an HTTP/1 request line, and hands them
 * over with the socket paused.
 */
export function readPreface(socket: net.Socket, then: (http2: boolean, firstBytes: Buffer) => void): void {
  let read: Buffer = Buffer.alloc(0);
  socket.on("error", () => {});
  socket.on("data", function onData(chunk: Buffer) {
    read = read.length === 0 ? chunk : Buffer.concat([read, chunk]);
    const length = Math.min(read.length, http2Preface.length);
    const http2 = read.subarray(0, length).equals(http2Preface.subarray(0, length));
    if (http2 && read.length < http2Preface.length) return;
    socket.off("data", onData);
    socket.pause();
    then(http2, read);
  });
}

/**
 * An accepted TLS socket with the bytes read to tell its protocol put back in front, as a plain stream for Node's
 * HTTP/2 session. (A plain socket gets them back with unshift: the session reads its handle, after what the socket
 * holds. On a TLS socket that loses the session's first bytes.)
 */
class PrefixedSocket extends Duplex {
  constructor(
    private readonly socket: net.Socket,
    prefix: Buffer,
  ) {
    super();
    this.push(prefix);
    socket.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("close", () => this.destroy());
    socket.on("error", () => {});
  }
  override _read(): void {
    this.socket.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }
  override _final(callback: () => void): void {
    this.socket.end();
    callback();
  }
  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}

/** An HTTP/2 request's headers as an HTTP/1 request's: no pseudo-headers, :authority as host, cookies joined. */
function requestHeadersOf(headers: http2.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const result: http.IncomingHttpHeaders = {};
  for (const name in headers) {
    if (name.startsWith(":")) continue;
    const value = headers[name];
    result[name] = name === "cookie" && Array.isArray(value) ? value.join("; ") : value;
  }
  if (result.host === undefined && headers[":authority"] !== undefined) result.host = headers[":authority"];
  return result;
}

/** A stream's reading, paused while its request body has nowhere to go. */
class StreamFlow implements BodyFlow {
  constructor(private readonly stream: http2.ServerHttp2Stream) {}
  pauseBody(): void {
    this.stream.pause();
  }
  resumeBody(): void {
    this.stream.resume();
  }
}

/** One response on an HTTP/2 stream: the head goes out with the first body bytes or the end, trailers after the body. */
export class Http2DownstreamResponse implements ResponseWriter {
  statusCode = 200;
  headersSent = false;
  #fields: http2.OutgoingHttpHeaders = {};
  #trailers: HeaderMap | undefined;
  #ended = false;
  readonly #closeListeners: (() => void)[] = [];

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly method: string,
    private readonly request: DownstreamRequest,
  ) {
    stream.on("wantTrailers", () => {
      stream.sendTrailers(this.#trailers ? http2Fields(this.#trailers) : {});
      this.#stopRequestBody();
    });
    stream.once("close", () => {
      for (const listener of this.#closeListeners.splice(0)) listener();
    });
  }

  /** Nothing more can go out: the stream is gone, or the response has ended (a timeout may answer before the router). */
  get destroyed(): boolean {
    return this.#ended || this.stream.destroyed;
  }

  writeHead(status: number, headers: HeaderMap | readonly string[] = {}): this {
    if (this.headersSent) throw new Error("the response head has been sent already");
    this.statusCode = status;
    this.#fields = http2Fields(headers);
    return this;
  }

  write(chunk: Buffer): boolean {
    if (this.#ended || this.stream.destroyed) return false;
    // Trailers may follow a body written in parts (a gRPC response's status does).
    if (!this.headersSent) this.#respond({ waitForTrailers: true });
    return this.#bodiless() ? true : this.stream.write(chunk);
  }

  /** With neither body nor trailers, the head ends the stream: a gRPC status in it is a "trailers-only" response. */
  end(body?: string | Buffer, trailers?: HeaderMap): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.stream.destroyed) return;
    this.#trailers = trailers;
    const hasTrailers = trailers !== undefined && Object.keys(trailers).length > 0;
    const empty = body === undefined || body.length === 0;
    if (!this.headersSent) this.#respond(empty && !hasTrailers ? { endStream: true } : { waitForTrailers: hasTrailers });
    if (!this.stream.writableEnded) this.stream.end(empty ? undefined : body);
    if (!hasTrailers) this.#stopRequestBody();
  }

  destroy(): void {
    if (!this.#ended) this.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }

  onDrain(listener: () => void): void {
    this.stream.once("drain", listener);
  }

  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  /**
   * Answered before the request's end (denied, timed out, or the upstream answered early): RST_STREAM NO_ERROR once
   * the response is out tells the client to stop sending, as HTTP/2 provides (RFC 9113, 8.1).
   */
  #stopRequestBody(): void {
    if (!this.request.complete && !this.stream.destroyed) this.stream.close(http2.constants.NGHTTP2_NO_ERROR);
  }

  /** A HEAD request or a 204 or 304: Node ends the stream with the head. */
  #bodiless(): boolean {
    return this.method === "HEAD" || this.statusCode === 204 || this.statusCode === 304;
  }

  #respond(options: http2.ServerStreamResponseOptions): void {
    this.headersSent = true;
    this.stream.respond({ ...this.#fields, ":status": this.statusCode }, this.#bodiless() ? {} : options);
  }
}

/**
 * Serves HTTP/2 on one accepted connection (plain, or mTLS already verified) whose TLS handshake chose h2 by ALPN or
 * whose first bytes were read to tell its protocol: each stream goes to `handler` as a request, as the HTTP/1.1
 * connection's requests do. The timeouts apply as Envoy's: idle_timeout to the connection while no stream is open,
 * stream_idle_timeout and request_timeout to each stream.
 */
export class Http2DownstreamConnection {
  #session: http2.ServerHttp2Session | undefined;
  #openStreams = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  /** `firstBytes`: what was read to tell the protocol, when the TLS handshake did not (ALPN). */
  constructor(
    socket: net.Socket,
    firstBytes: Buffer | undefined,
    handler: RequestHandler,
    private readonly timeouts: DownstreamTimeouts,
  ) {
    // The session's streams keep their own time from here on.
    socket.setTimeout(0);
    const server = http2.createServer();
    server.on("session", (session: http2.ServerHttp2Session) => {
      this.#session = session;
      session.on("error", () => {});
      session.once("close", () => clearTimeout(this.#idleTimer));
      this.#idle();
    });
    server.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
      const method = headers[":method"] ?? "GET";
      const request = new DownstreamRequest(method, headers[":path"] ?? "/", "2.0", requestHeadersOf(headers), socket.remoteAddress, new StreamFlow(stream), !stream.endAfterHeaders);
      const response = new Http2DownstreamResponse(stream, method, request);
      this.#streamOpened(stream, request, response);
      stream.on("data", (chunk: Buffer) => request.received(chunk));
      stream.on("end", () => request.ended());
      stream.on("error", () => {});
      handler(request, response);
    });
    if (firstBytes && socket instanceof TLSSocket) server.emit("connection", new PrefixedSocket(socket, firstBytes));
    else {
      if (firstBytes) socket.unshift(firstBytes);
      server.emit("connection", socket);
    }
  }

  /** Sends GOAWAY: streams in flight finish, the peer opens a new connection for more. */
  closeAfterResponses(): void {
    this.#session?.close();
  }
  drain(): void {
    this.closeAfterResponses();
  }

  #streamOpened(stream: http2.ServerHttp2Stream, request: DownstreamRequest, response: Http2DownstreamResponse): void {
    this.#openStreams++;
    clearTimeout(this.#idleTimer);
    const { streamIdleMs, requestMs } = this.timeouts;
    if (streamIdleMs > 0) stream.setTimeout(streamIdleMs, () => timedOut(request, response, "stream timeout"));
    const requestTimer = requestMs > 0 && !request.complete ? setTimeout(() => timedOut(request, response, "request timeout"), requestMs) : undefined;
    if (requestTimer) stream.once("end", () => clearTimeout(requestTimer));
    stream.once("close", () => {
      clearTimeout(requestTimer);
      request.failed();
      this.#openStreams--;
      this.#idle();
    });
  }

  #idle(): void {
    const session = this.#session;
    if (this.#openStreams > 0 || this.timeouts.idleMs <= 0 || !session || session.closed) return;
    this.#idleTimer = setTimeout(() => session.close(), this.timeouts.idleMs);
  }
}

/** A stream out of time: answered 408 if its response has not begun, else reset. */
function timedOut(request: DownstreamRequest, response: Http2DownstreamResponse, reason: string): void {
  if (response.destroyed) return;
  request.failed();
  if (response.headersSent) return response.destroy();
  response.writeHead(408, { "content-type": "text/plain" }).end(reason);
}
