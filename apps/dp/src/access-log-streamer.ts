import { unlinkSync } from "node:fs";
import net from "node:net";
import { z } from "zod";

/** One entry as the proxy writes it for a MeshAccessLog tcp backend. */
const entrySchema = z.object({ address: z.string().regex(/^.+:\d+$/, { error: "must be host:port" }), message: z.union([z.string(), z.record(z.string(), z.unknown())]) });

/** Lines kept per collector while it is unreachable; older ones are dropped first. */
const maxPendingLines = 10_000;
/** Bytes waiting on a connected collector that reads slowly, past which new lines are dropped. */
const maxBufferedBytes = 1024 * 1024;
const reconnectMs = 1000;

/**
 * A collector's TCP connection: lines go out in order, wait while it connects, and are kept (up to a bound) while it
 * is down; a collector that reads too slowly loses lines rather than the proxy's memory.
 */
class Collector {
  #socket: net.Socket | undefined;
  #connected = false;
  #pending: string[] = [];
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  #dropped = 0;
  #lastReport = 0;

  constructor(
    private readonly address: string,
    private readonly log: (line: string) => void,
  ) {}

  send(line: string): void {
    if (this.#connected && this.#socket) {
      if (this.#socket.writableLength < maxBufferedBytes) this.#socket.write(line);
      else this.#drop(1, "it reads too slowly");
      return;
    }
    this.#pending.push(line);
    if (this.#pending.length > maxPendingLines) this.#drop(this.#pending.splice(0, this.#pending.length - maxPendingLines).length, "it is unreachable");
    if (!this.#socket && !this.#retry) this.#connect();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#socket?.destroy();
  }

  /** Counts dropped lines, reported at most every 10 s. */
  #drop(count: number, why: string): void {
    this.#dropped += count;
    const now = Date.now();
    if (now - this.#lastReport < 10_000) return;
    this.log(`access log collector ${this.address}: ${this.#dropped} entries dropped, ${why}`);
    this.#dropped = 0;
    this.#lastReport = now;
  }

  #connect(): void {
    const separator = this.address.lastIndexOf(":");
    const socket = net.connect({ host: this.address.slice(0, separator), port: Number(this.address.slice(separator + 1)) });
    this.#socket = socket;
    socket.on("connect", () => {
      this.#connected = true;
      for (const line of this.#pending.splice(0)) socket.write(line);
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.#connected = false;
      this.#socket = undefined;
      if (this.#closed) return;
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        if (this.#pending.length > 0) this.#connect();
      }, reconnectMs);
    });
  }
}

/**
 * Relays the proxy's MeshAccessLog tcp entries, as kuma-dp does: listens on the unix socket the CP names in the file
 * access loggers it generates, reads one JSON line per entry, and sends its message (a string as it is, an object as a
 * JSON line) to the collector at its address, over one TCP connection per collector.
 */
export class AccessLogStreamer {
  readonly #collectors = new Map<string, Collector>();
  readonly #connections = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly path: string,
    private readonly log: (line: string) => void,
  ) {
    server.on("connection", (connection) => this.#accept(connection));
  }

  /** Listens at `path`, taking the place of a socket a previous run left behind. */
  static async start(path: string, log: (line: string) => void): Promise<AccessLogStreamer> {
    try {
      unlinkSync(path);
    } catch {
      // nothing left behind
    }
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error) => reject(new Error(`access log socket ${path}: ${error.message}`)));
      server.listen(path, resolve);
    });
    server.unref();
    return new AccessLogStreamer(server, path, log);
  }

  async close(): Promise<void> {
    for (const collector of this.#collectors.values()) collector.close();
    for (const connection of this.#connections) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(connection: net.Socket): void {
    this.#connections.add(connection);
    connection.on("close", () => this.#connections.delete(connection));
    connection.on("error", () => {});
    let buffered = "";
    connection.setEncoding("utf8");
    connection.on("data", (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf("\n")) >= 0) {
        this.#relay(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
      }
    });
  }

  #relay(line: string): void {
    if (line.trim() === "") return;
    let parsed: z.infer<typeof entrySchema>;
    try {
      parsed = entrySchema.parse(JSON.parse(line));
    } catch (error) {
      this.log(`access log entry dropped: ${error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") : (error as Error).message}`);
      return;
    }
    const { address, message } = parsed;
    let collector = this.#collectors.get(address);
    if (!collector) {
      collector = new Collector(address, this.log);
      this.#collectors.set(address, collector);
    }
    const text = typeof message === "string" ? message : JSON.stringify(message);
    collector.send(text.endsWith("\n") ? text : `${text}\n`);
  }
}
