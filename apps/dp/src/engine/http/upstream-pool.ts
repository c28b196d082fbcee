import type net from "node:net";
import { UpstreamConnection } from "./upstream-connection";

/** Who asked for a connection: given one now or once one is free, or told that none can be opened (no TLS identity). */
export interface ConnectionRequest {
  onConnection(connection: UpstreamConnection): void;
  onConnectionError(error: Error): void;
}

interface Waiter {
  key: string;
  host: string;
  port: number;
  request: ConnectionRequest;
}

/** How long an upstream connection lives (the cluster's common_http_protocol_options); 0: no limit. */
export interface ConnectionLifetime {
  /** Closed after this long without a request (idle_timeout). */
  idleMs: number;
  /** Not used for another request after this long since it was opened (max_connection_duration). */
  maxAgeMs: number;
}

/** The time an idle connection may still stay, or undefined when no limit applies; 0 when its time is up. */
export function idleTimeLeft(lifetime: ConnectionLifetime, openedAt: number): number | undefined {
  const ageLeft = lifetime.maxAgeMs > 0 ? Math.max(0, openedAt + lifetime.maxAgeMs - Date.now()) : undefined;
  if (lifetime.idleMs <= 0) return ageLeft;
  return ageLeft === undefined ? lifetime.idleMs : Math.min(ageLeft, lifetime.idleMs);
}

/**
 * A cluster's keep-alive HTTP/1.1 connections, per endpoint, at most `maxConnections` in all (the circuit
 * breaker's max_connections): beyond that a request waits for one to come free, as with http.Agent's
 * maxTotalSockets. Idle connections do not keep the process alive, and are closed by `lifetime`.
 */
export class UpstreamPool {
  readonly #idle = new Map<string, UpstreamConnection[]>();
  readonly #waiters: Waiter[] = [];
  readonly #open = new Set<UpstreamConnection>();
  #closed = false;

  constructor(
    readonly maxConnections: number,
    readonly connect: (host: string, port: number) => net.Socket,
    readonly lifetime: ConnectionLifetime = { idleMs: 0, maxAgeMs: 0 },
  ) {}

  /** A connection to host:port for `request`, now or once one is free. */
  acquire(host: string, port: number, request: ConnectionRequest): void {
    const key = `${host}:${port}`;
    const idle = this.#idle.get(key);
    const pooled = idle?.pop();
    if (pooled) {
      pooled.socket.ref();
      pooled.socket.setTimeout(0);
      request.onConnection(pooled);
      return;
    }
    const waiter: Waiter = { key, host, port, request };
    if (this.#open.size < this.maxConnections) this.#openFor(waiter);
    else this.#waiters.push(waiter);
  }

  /** Withdraws a request still waiting for a connection (timed out). */
  withdraw(request: ConnectionRequest): void {
    const index = this.#waiters.findIndex((waiter) => waiter.request === request);
    if (index >= 0) this.#waiters.splice(index, 1);
  }

  /** Hands a connection back after its exchange: kept (or given to a waiter) when reusable, else closed. */
  release(connection: UpstreamConnection): void {
    const timeLeft = idleTimeLeft(this.lifetime, connection.openedAt);
    if (!connection.reusable || connection.socket.destroyed || this.#closed || timeLeft === 0) {
      connection.destroy();
      return;
    }
    const index = this.#waiters.findIndex((waiter) => waiter.key === connection.key);
    if (index >= 0) return (this.#waiters.splice(index, 1)[0] as Waiter).request.onConnection(connection);
    if (this.#waiters.length > 0) {
      // Someone waits for another endpoint: this connection's place goes to them.
      connection.destroy();
      return;
    }
    connection.socket.unref();
    if (timeLeft !== undefined) connection.socket.setTimeout(timeLeft);
    let idle = this.#idle.get(connection.key);
    if (!idle) this.#idle.set(connection.key, (idle = []));
    idle.push(connection);
  }

  #openFor(waiter: Waiter): void {
    let socket: net.Socket;
    try {
      socket = this.connect(waiter.host, waiter.port);
    } catch (error) {
      waiter.request.onConnectionError(error as Error);
      return;
    }
    const connection = new UpstreamConnection(socket, waiter.key);
    this.#open.add(connection);
    // Armed only while the connection is idle in the pool (release), so that a timeout closes an idle connection.
    socket.on("timeout", () => connection.destroy());
    socket.once("close", () => {
      this.#open.delete(connection);
      const idle = this.#idle.get(waiter.key);
      const index = idle?.indexOf(connection) ?? -1;
      if (idle && index >= 0) idle.splice(index, 1);
      const next = this.#waiters.shift();
      if (next && !this.#closed) this.#openFor(next);
    });
    waiter.request.onConnection(connection);
  }

  /** Closes the connections to an endpoint (other than `except`) that are all idle, and names it (max_connection_pools). */
  closeIdleEndpoint(except: string): string | undefined {
    for (const [key, idle] of this.#idle) {
      if (key === except || idle.length === 0) continue;
      const open = [...this.#open].filter((connection) => connection.key === key).length;
      if (open !== idle.length) continue;
      this.#idle.delete(key);
      for (const connection of idle) connection.destroy();
      return key;
    }
    return undefined;
  }

  close(): void {
    this.#closed = true;
    this.#waiters.length = 0;
    for (const connection of this.#open) connection.destroy();
    this.#idle.clear();
  }
}
