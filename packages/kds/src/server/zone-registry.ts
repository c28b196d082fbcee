import type { ByteCounters, KdsStreamKind, StreamStats } from "../stats";
import { emptyByteCounters, StreamStatsRecorder } from "../stats";
import type { ZoneIdentity } from "../zone-metadata";

/** What to do when a second CP instance claims a zone name that is connected. */
export type DuplicateZonePolicy = "refuse-newcomer" | "replace-existing";

export interface ZoneConnection extends ZoneIdentity {
  connectedAt: Date;
  /** The remote address of the stream that opened the connection. */
  peer: string;
}

/** For ZoneInsight: kept per zone name after the zone disconnects. */
export interface ZoneStats extends ByteCounters {
  zone: string;
  instanceId: string;
  version: string;
  connected: boolean;
  connectedAt?: Date;
  disconnectedAt?: Date;
  /** How many times the zone connected. */
  connections: number;
  /** The latest stream of each kind, open or closed. */
  streams: Partial<Record<KdsStreamKind, StreamStats>>;
}

export interface RegisteredStream {
  kind: KdsStreamKind;
  stats: StreamStatsRecorder;
  /** Ends the stream with a status, when another stream takes its place. */
  abort(reason: string): void;
}

interface Session {
  connection: ZoneConnection;
  streams: Map<KdsStreamKind, RegisteredStream>;
}

export type ClaimResult = { ok: true; stream: RegisteredStream } | { ok: false; reason: string };

// The global sends on globalToZone and receives on zoneToGlobal.
const serverRole = { globalToZone: "sender", zoneToGlobal: "receiver", requests: "requester" } as const;

/** The zones connected to this server: at most one CP instance per zone name. */
export class ZoneRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly stats = new Map<string, ZoneStats>();

  constructor(
    private readonly policy: DuplicateZonePolicy,
    private readonly hooks: {
      onConnect(connection: ZoneConnection): void;
      onDisconnect(connection: ZoneConnection): void;
    },
  ) {}

  claim(
    identity: ZoneIdentity,
    peer: string,
    kind: KdsStreamKind,
    abort: (reason: string) => void,
  ): ClaimResult {
    const existing = this.sessions.get(identity.zone);
    if (existing && existing.connection.instanceId !== identity.instanceId) {
      const holder = existing.connection;
      if (this.policy === "refuse-newcomer") {
        return {
          ok: false,
          reason:
            `zone "${identity.zone}" is already connected from CP instance "${holder.instanceId}" ` +
            `(${holder.peer}, since ${holder.connectedAt.toISOString()}); refusing instance "${identity.instanceId}"`,
        };
      }
      this.endSession(existing, `zone "${identity.zone}" was taken over by CP instance "${identity.instanceId}"`);
    }

    const session = this.sessions.get(identity.zone) ?? this.openSession(identity, peer);
    const zoneStats = this.stats.get(identity.zone)!;
    const stream: RegisteredStream = {
      kind,
      stats: new StreamStatsRecorder(kind, serverRole[kind], zoneStats),
      abort,
    };
    const replaced = session.streams.get(kind);
    session.streams.set(kind, stream);
    zoneStats.streams[kind] = stream.stats.stats;
    replaced?.abort(`superseded by a newer ${kind} stream from the same CP instance`);
    return { ok: true, stream };
  }

  release(zone: string, stream: RegisteredStream): void {
    const session = this.sessions.get(zone);
    if (session?.streams.get(stream.kind) !== stream) return;
    session.streams.delete(stream.kind);
    if (session.streams.size === 0) this.endSession(session);
  }

  connectedZones(): ZoneConnection[] {
    return [...this.sessions.values()].map((session) => ({ ...session.connection }));
  }

  zoneStats(zone: string): ZoneStats | undefined {
    const stats = this.stats.get(zone);
    return stats && structuredClone(stats);
  }

  allZoneStats(): ZoneStats[] {
    return [...this.stats.values()].map((stats) => structuredClone(stats));
  }

  openStreamCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) count += session.streams.size;
    return count;
  }

  /** Ends the zone's streams; false if it was not connected. */
  disconnect(zone: string, reason: string): boolean {
    const session = this.sessions.get(zone);
    if (session) this.endSession(session, reason);
    return session !== undefined;
  }

  endAll(reason: string): void {
    for (const session of [...this.sessions.values()]) this.endSession(session, reason);
  }

  private openSession(identity: ZoneIdentity, peer: string): Session {
    const connection: ZoneConnection = { ...identity, peer, connectedAt: new Date() };
    const session: Session = { connection, streams: new Map() };
    this.sessions.set(identity.zone, session);
    const stats = this.stats.get(identity.zone);
    if (stats) {
      Object.assign(stats, identity, { connected: true, connectedAt: connection.connectedAt });
      stats.connections += 1;
    } else {
      this.stats.set(identity.zone, {
        ...emptyByteCounters(),
        ...identity,
        connected: true,
        connectedAt: connection.connectedAt,
        connections: 1,
        streams: {},
      });
    }
    this.hooks.onConnect({ ...connection });
    return session;
  }

  /** Removes the session; with a reason, also aborts its open streams. */
  private endSession(session: Session, abortReason?: string): void {
    const zone = session.connection.zone;
    this.sessions.delete(zone);
    const stats = this.stats.get(zone)!;
    stats.connected = false;
    stats.disconnectedAt = new Date();
    const streams = [...session.streams.values()];
    session.streams.clear();
    if (abortReason) for (const stream of streams) stream.abort(abortReason);
    this.hooks.onDisconnect({ ...session.connection });
  }
}
