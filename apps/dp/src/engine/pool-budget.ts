import type net from "node:net";

/** No connection pool is free for a new endpoint (max_connection_pools), and none is idle to close. */
export class PoolOverflow extends Error {}

/**
 * Envoy's max_connection_pools: how many endpoints a cluster holds traffic connections to at once (a pool per
 * endpoint, as Envoy's per host). A connection to an endpoint that has none needs a free pool; when all are taken,
 * an idle one (no request on it) is closed to make room, else the connection overflows.
 */
export class PoolBudget {
  readonly #pools = new Map<string, Set<net.Socket>>();

  /** `closeIdle` closes the connections of an endpoint (not `except`) that carry no request, and names it. */
  constructor(
    readonly max: number,
    private readonly closeIdle: (except: string) => string | undefined,
  ) {}

  /** A connection from `open` to endpoint `key`, counted in its pool until it closes; throws PoolOverflow. */
  open(key: string, open: () => net.Socket): net.Socket {
    let pool = this.#pools.get(key);
    if (!pool) {
      while (this.#pools.size >= this.max) {
        const closed = this.closeIdle(key);
        if (closed === undefined || !this.#pools.delete(closed)) throw new PoolOverflow(`all ${this.max} connection pools are in use (max_connection_pools)`);
      }
      pool = new Set();
      this.#pools.set(key, pool);
    }
    let socket: net.Socket;
    try {
      socket = open();
    } catch (error) {
      if (pool.size === 0) this.#pools.delete(key);
      throw error;
    }
    const members = pool;
    members.add(socket);
    socket.once("close", () => {
      members.delete(socket);
      if (members.size === 0 && this.#pools.get(key) === members) this.#pools.delete(key);
    });
    return socket;
  }
}
