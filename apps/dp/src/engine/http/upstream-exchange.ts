import { PoolOverflow } from "../pool-budget";
import type { ResponseHandlers, UpstreamConnection, UpstreamFailure } from "./upstream-connection";
import type { ConnectionRequest, UpstreamPool } from "./upstream-pool";
import { UpstreamAttempt, type RequestBody } from "./upstream-attempt";

/** One attempt's HTTP/1.1 request: its head, and its body whole or streaming (chunked on the wire unless the head gives its length). */
export interface OutgoingRequest {
  head: string;
  body: Buffer | RequestBody;
  chunked: boolean;
  /** A HEAD request: the response has no body, whatever its headers say. */
  skipBody: boolean;
}

/** One try of a request on a pooled HTTP/1.1 connection; a new connection must connect within connectTimeoutMs. */
export function sendUpstream(pool: UpstreamPool, host: string, port: number, request: OutgoingRequest, timeoutMs: number | undefined, connectTimeoutMs: number): UpstreamExchange {
  const exchange = new UpstreamExchange(pool, request, connectTimeoutMs, timeoutMs);
  pool.acquire(host, port, exchange);
  return exchange;
}

export class UpstreamExchange extends UpstreamAttempt implements ConnectionRequest, ResponseHandlers {
  #connection: UpstreamConnection | undefined;

  constructor(
    private readonly pool: UpstreamPool,
    private readonly request: OutgoingRequest,
    private readonly connectTimeoutMs: number,
    timeoutMs: number | undefined,
  ) {
    super(request.body, timeoutMs);
  }

  onConnection(next: UpstreamConnection): void {
    if (this.settled) return this.pool.release(next);
    this.#connection = next;
    if (!next.connected) this.connectWithin(this.connectTimeoutMs, next.socket);
    const { head, chunked, skipBody } = this.request;
    if (!Buffer.isBuffer(this.body)) next.sendHead(head, chunked, skipBody, this);
    // A streaming body may have been let go of meanwhile (another attempt sent it past the buffer limit).
    if (!this.sendBody((body) => next.send(head, body, skipBody, this))) next.destroy();
  }

  onConnectionError(error: Error): void {
    this.fail(error instanceof PoolOverflow ? "overflow" : "connect-failure");
  }

  /** A chunk of a streaming request body. */
  write(chunk: Buffer): boolean {
    const connection = this.#connection as UpstreamConnection;
    if (connection.writeBody(chunk)) return true;
    connection.socket.once("drain", () => (this.body as RequestBody).resume());
    return false;
  }

  protected endRequest(): void {
    this.#connection?.endBody();
  }

  /** The downstream went away mid-body: the upstream request cannot be completed. */
  abort(): void {
    this.#connection?.destroy();
  }

  onHead(status: number, rawHeaders: string[]): void {
    this.responded(status, rawHeaders, { status });
  }

  onData(chunk: Buffer): void {
    this.received(chunk);
  }

  onEnd(): void {
    this.responseEnded(undefined, () => {
      const connection = this.#connection as UpstreamConnection;
      // Paused by a full downstream whose drain may never come now that the response ends: the next exchange reads again.
      connection.resume();
      this.pool.release(connection);
    });
  }

  onFailure(failure: UpstreamFailure): void {
    this.broke(failure);
  }

  protected pauseResponse(): void {
    this.#connection?.pause();
  }
  protected resumeResponse(): void {
    this.#connection?.resume();
  }
  protected cut(): void {
    this.pool.withdraw(this);
    this.#connection?.destroy();
  }
}
