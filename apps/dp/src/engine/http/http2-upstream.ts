import http2 from "node:http2";
import type net from "node:net";
import { PoolOverflow } from "../pool-budget";
import { headerMapOf, http2Fields, type HeaderMap } from "./headers";
import { UpstreamAttempt, type RequestBody } from "./upstream-attempt";
import { agedOut, expired, startSweeper, type ConnectionLifetime } from "./connection-lifetime";

interface Session {
  session: http2.ClientHttp2Session;
  connected: boolean;
  /** Streams open on it: none, it is idle. */
  streams: number;
  openedAt: number;
  /** Since when no stream is open. */
  idleSince: number;
}

/**
 * A cluster's HTTP/2 connections (explicit_http_config.http2_protocol_options), one per endpoint, each carrying its
 * requests as concurrent streams, as Envoy's HTTP/2 pool; plain or mTLS as the cluster connects. An idle one does
 * not keep the process alive.
 */
export class Http2Sessions {
  readonly #sessions = new Map<string, Session>();

  readonly #sweeper: { stop(): void };

  constructor(
    private readonly connect: (host: string, port: number) => net.Socket,
    private readonly lifetime: ConnectionLifetime = { idleMs: 0, maxAgeMs: 0 },
  ) {
    this.#sweeper = startSweeper(lifetime, () => this.#closeExpired());
  }

  get(host: string, port: number): Session {
    const key = `${host}:${port}`;
    const existing = this.#sessions.get(key);
    if (existing && !existing.session.closed && !existing.session.destroyed) {
      if (!agedOut(this.lifetime, existing.openedAt)) return existing;
      existing.session.close(); // past max_connection_duration: its streams finish, new ones go on a new connection
    }
    const socket = this.connect(host, port);
    const openedAt = Date.now();
    const entry: Session = { session: http2.connect(`http://${key}`, { createConnection: () => socket }), connected: false, streams: 0, openedAt, idleSince: openedAt };
    const { session } = entry;
    session.on("connect", () => (entry.connected = true));
    session.on("error", () => {});
    const forget = () => {
      if (this.#sessions.get(key) === entry) this.#sessions.delete(key);
    };
    session.on("goaway", forget);
    session.on("close", forget);
    session.unref();
    this.#sessions.set(key, entry);
    return entry;
  }

  /** Counts a stream on the session; the sweeper closes a session without streams by the lifetime. */
  track(entry: Session, stream: http2.ClientHttp2Stream): void {
    entry.streams++;
    stream.once("close", () => {
      if (--entry.streams === 0) entry.idleSince = Date.now();
    });
  }

  #closeExpired(): void {
    const now = Date.now();
    for (const entry of this.#sessions.values()) if (entry.streams === 0 && expired(this.lifetime, entry.openedAt, entry.idleSince, now)) entry.session.close();
  }

  /** Closes the session to an endpoint (other than `except`) that has no stream open, and names it (max_connection_pools). */
  closeIdle(except: string): string | undefined {
    for (const [key, entry] of this.#sessions) {
      if (key === except || entry.streams > 0) continue;
      this.#sessions.delete(key);
      entry.session.destroy();
      return key;
    }
    return undefined;
  }

  close(): void {
    this.#sweeper.stop();
    for (const { session } of this.#sessions.values()) session.destroy();
    this.#sessions.clear();
  }
}

/** What the router sends on an HTTP/2 stream: pseudo-headers from the request, te only as "trailers" (gRPC needs it). */
export function http2RequestHeaders(method: string, path: string, headers: HeaderMap, authority: string, te: string | string[] | undefined): http2.OutgoingHttpHeaders {
  const fields: http2.OutgoingHttpHeaders = http2Fields(headers);
  delete fields["content-length"];
  if (String(te ?? "").toLowerCase().includes("trailers")) fields.te = "trailers";
  return { ...fields, ":method": method, ":path": path, ":scheme": "http", ":authority": authority };
}

/** A flat [name, value, ...] list of an HTTP/2 header block, without its pseudo-headers. */
function rawHeadersOf(headers: http2.IncomingHttpHeaders): string[] {
  const raw: string[] = [];
  for (const name in headers) {
    if (name.startsWith(":")) continue;
    const value = headers[name];
    if (Array.isArray(value)) for (const item of value) raw.push(name, item);
    else if (value !== undefined) raw.push(name, value);
  }
  return raw;
}

/** One try of a request on a stream of the endpoint's HTTP/2 connection; trailers follow the response body. */
export class Http2Exchange extends UpstreamAttempt {
  #stream: http2.ClientHttp2Stream | undefined;
  #trailers: HeaderMap | undefined;

  start(sessions: Http2Sessions, host: string, port: number, headers: http2.OutgoingHttpHeaders, connectTimeoutMs: number): void {
    let entry: ReturnType<Http2Sessions["get"]>;
    try {
      entry = sessions.get(host, port);
    } catch (error) {
      // No connection could be opened: no pool free (max_connection_pools), or the cluster's secrets are missing.
      return this.fail(error instanceof PoolOverflow ? "overflow" : "connect-failure");
    }
    if (!entry.connected) this.connectWithin(connectTimeoutMs, entry.session);
    const failure = () => (entry.connected ? "reset" : "connect-failure");
    let stream: http2.ClientHttp2Stream;
    try {
      stream = entry.session.request(headers, { endStream: Buffer.isBuffer(this.body) && this.body.length === 0 });
    } catch {
      return this.fail(failure());
    }
    sessions.track(entry, stream);
    this.#stream = stream;
    stream.on("response", (head: http2.IncomingHttpHeaders) => {
      const status = Number(head[":status"]);
      const grpcStatus = head["grpc-status"];
      this.responded(status, rawHeadersOf(head), grpcStatus === undefined ? { status } : { status, grpcStatus: Number(grpcStatus) });
    });
    stream.on("data", (chunk: Buffer) => this.received(chunk));
    stream.on("trailers", (trailers: http2.IncomingHttpHeaders) => (this.#trailers = headerMapOf(rawHeadersOf(trailers))));
    stream.on("end", () => this.responseEnded(this.#trailers));
    stream.on("close", () => this.broke(stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? "refused-stream" : failure()));
    stream.on("error", () => {});
    // A streaming body may have been let go of meanwhile (another attempt sent it past the buffer limit).
    if (!this.sendBody((body) => body.length > 0 && stream.end(body))) this.cut();
  }

  /** A chunk of a streaming request body. */
  write(chunk: Buffer): boolean {
    const stream = this.#stream as http2.ClientHttp2Stream;
    if (stream.write(chunk)) return true;
    stream.once("drain", () => (this.body as RequestBody).resume());
    return false;
  }
  protected endRequest(): void {
    this.#stream?.end();
  }
  abort(): void {
    this.cut();
  }

  protected pauseResponse(): void {
    this.#stream?.pause();
  }
  protected resumeResponse(): void {
    this.#stream?.resume();
  }
  protected cut(): void {
    this.#stream?.close(http2.constants.NGHTTP2_CANCEL);
  }
}
