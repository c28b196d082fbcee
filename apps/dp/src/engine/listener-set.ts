import net from "node:net";
import type { CompiledListener } from "./listener";

interface BoundListener {
  server: net.Server;
  current: CompiledListener;
  connections: Set<net.Socket>;
}

const keyOf = (listener: { host: string; port: number }) => `${listener.host}:${listener.port}`;

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * The bound sockets. A listener that keeps its address keeps its socket and only changes the configuration new
 * connections get; open connections finish on the configuration they started with (idle HTTP ones are closed).
 */
export class ListenerSet {
  readonly #bound = new Map<string, BoundListener>();

  /** Binds, swaps and closes; if a new address cannot be bound, nothing changes and the error is thrown. */
  async apply(listeners: readonly CompiledListener[]): Promise<void> {
    const wanted = new Map(listeners.map((listener) => [keyOf(listener), listener]));
    if (wanted.size !== listeners.length) throw new Error("two listeners have the same address");
    const opened: BoundListener[] = [];
    try {
      for (const [key, listener] of wanted) {
        if (this.#bound.has(key)) continue;
        const bound: BoundListener = { server: net.createServer(), current: listener, connections: new Set() };
        // Proxied traffic is latency-bound: no Nagle delay on either side (the server is net's, not http's, hence not by default).
        bound.server.on("connection", (socket) => {
          socket.setNoDelay(true);
          bound.connections.add(socket);
          socket.on("close", () => bound.connections.delete(socket));
          bound.current.accept(socket);
        });
        await listen(bound.server, listener.host, listener.port).catch((error: Error) => {
          throw new Error(`listener ${listener.name}: cannot bind ${key}: ${error.message}`);
        });
        opened.push(bound);
      }
    } catch (error) {
      for (const bound of opened) bound.server.close();
      throw error;
    }
    for (const bound of opened) this.#bound.set(keyOf(bound.current), bound);
    for (const [key, bound] of this.#bound) {
      const next = wanted.get(key);
      if (!next) {
        bound.server.close();
        bound.current.drain();
        this.#bound.delete(key);
      } else if (next !== bound.current) {
        const previous = bound.current;
        bound.current = next;
        previous.drain();
      }
    }
  }

  /** Stops listening and resets every open connection. */
  async close(): Promise<void> {
    const closed = [...this.#bound.values()].map((bound) => new Promise((resolve) => bound.server.close(resolve)));
    for (const bound of this.#bound.values()) for (const socket of bound.connections) socket.destroy();
    this.#bound.clear();
    await Promise.all(closed);
  }
}
