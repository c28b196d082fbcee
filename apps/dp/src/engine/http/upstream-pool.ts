import type net from "node:net";
import { UpstreamConnection } from "./upstream-connection";

interface Waiter {
  key: string;
  host: string;
  port: number;
  give(connection: UpstreamConnection): void;
  fail(error: Error): void;
}

/**
 * A cluster's keep-alive HTTP/1.1 connections, per endpoint, at most `maxConnections` in all (the circuit
 * breaker's max_connections): beyond that a request waits for one to come free, as with http.Agent's
 * maxTotalSockets. Idle connections do not keep the process alive.
 */
export class UpstreamPool {
  readonly #idle = new Map<string, UpstreamConnection[]>();
  readonly #waiters: Waiter[] = [];
  readonly #open = new Set<UpstreamConnection>();
  #closed = false;

  constructor(
    readonly maxConnections: number,
    readonly connect: (host: string, port: number) => net.Socket,
  ) {}

  /**
   * Calls `give` with a connection to host:port now or once one is free, or `fail` when none can be opened (no
   * TLS identity); the returned function withdraws the wait.
   */
  acquire(host: string, port: number, give: (connection: UpstreamConnection) => void, fail: (error: Error) => void): () => void {
    const key = `${host}:${port}`;
    const idle = this.#idle.get(key);
    const pooled = idle?.pop();
    if (pooled) {
      pooled.socket.ref();
      give(pooled);
      return () => {};
    }
    const waiter: Waiter = { key, host, port, give, fail };
    if (this.#open.size < this.maxConnections) this.#openFor(waiter);
    else this.#waiters.push(waiter);
    return () => {
      const index = this.#waiters.indexOf(waiter);
      if (index >= 0) this.#waiters.splice(index, 1);
    };
  }

  /** Hands a connection back after its exchange: kept (or given to a waiter) when reusable, else closed. */
  release(connection: UpstreamConnection): void {
    if (!connection.reusable || connection.socket.destroyed || this.#closed) {
      connection.destroy();
      return;
    }
    const index = this.#waiters.findIndex((waiter) => waiter.key === connection.key);
    if (index >= 0) return (this.#waiters.splice(index, 1)[0] as Waiter).give(connection);
    if (this.#waiters.length > 0) {
      // Someone waits for another endpoint: this connection's place goes to them.
      connection.destroy();
      return;
    }
    connection.socket.unref();
    let idle = this.#idle.get(connection.key);
    if (!idle) this.#idle.set(connection.key, (idle = []));
    idle.push(connection);
  }

  #openFor(waiter: Waiter): void {
    let socket: net.Socket;
    try {
      socket = this.connect(waiter.host, waiter.port);
    } catch (error) {
      waiter.fail(error as Error);
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
    waiter.give(connection);
  }

  close(): void {
    this.#closed = true;
    this.#waiters.length = 0;
    for (const connection of this.#open) connection.destroy();
    this.#idle.clear();
  }
}
