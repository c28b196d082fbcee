import type net from "node:net";
import { agedOut, expired, startSweeper, type ConnectionLifetime } from "./connection-lifetime";
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

/**
 * A cluster's keep-alive HTTP/1.1 connections, per endpoint, at most `maxConnections` in all (the circuit
 * breaker's max_connections): beyond that a request waits for one to come free, as with http.Agent's
 * maxTotalSockets. Idle connections do not keep the process alive, and a sweeper closes them by `lifetime`.
 */
export class UpstreamPool {
  readonly #idle = new Map<string, UpstreamConnection[]>();
  readonly #waiters: Waiter[] = [];
  readonly #open = new Set<UpstreamConnection>();
  readonly #sweeper: { stop(): void };
  #closed = false;

  constructor(
    readonly maxConnections: number,
    readonly connect: (host: string, port: number) => net.Socket,
    readonly lifetime: ConnectionLifetime = { idleMs: 0, maxAgeMs: 0 },
  ) {
    this.#sweeper = startSweeper(lifetime, () => this.#closeExpired());
  }

  /** A connection to host:port for `request`, now or once one is free. */
  acquire(host: string, port: number, request: ConnectionRequest): void {
    const key = `${host}:${port}`;
    const idle = this.#idle.get(key);
    const pooled = idle?.pop();
    if (pooled) {
      pooled.socket.ref();
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
    const now = Date.now();
    if (!connection.reusable || connection.socket.destroyed || this.#closed || agedOut(this.lifetime, connection.openedAt, now)) {
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
    connection.idleSince = now;
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

  /** Closes the idle connections past idle_timeout or max_connection_duration (the sweeper's round). */
  #closeExpired(): void {
    const now = Date.now();
    for (const idle of this.#idle.values()) {
      for (const connection of idle.filter((candidate) => expired(this.lifetime, candidate.openedAt, candidate.idleSince, now))) connection.destroy();
    }
  }

  close(): void {
    this.#closed = true;
    this.#sweeper.stop();
    this.#waiters.length = 0;
    for (const connection of this.#open) connection.destroy();
    this.#idle.clear();
  }
}
