/** The two resource sync streams, and the stream of the global's requests to the zone. */
export type KdsStreamKind = "globalToZone" | "zoneToGlobal" | "requests";

/** Resources flow from sender to receiver; requests from requester (the global) to responder (the zone). */
export type StreamRole = "sender" | "receiver" | "requester" | "responder";

/** Per resource type on one stream. On the sending side `responses` counts responses sent, on the receiving side responses received. */
export interface TypeSyncStats {
  responses: number;
  acked: number;
  nacked: number;
  lastResponseAt?: Date;
  lastAckAt?: Date;
  lastNackAt?: Date;
  lastNackError?: string;
  /** Hash of the whole set of resources of this type as of the last ACKed response. */
  ackedVersion?: string;
  /** Set when producing or applying resources of this type failed locally. */
  lastLocalError?: string;
}

/** Bytes are those of the protobuf messages, without gRPC's 5-byte frame header and HTTP/2 overhead. */
export interface ByteCounters {
  bytesSent: number;
  bytesReceived: number;
  messagesSent: number;
  messagesReceived: number;
}

export interface StreamStats extends ByteCounters {
  kind: KdsStreamKind;
  role: StreamRole;
  openedAt: Date;
  closedAt?: Date;
  closeReason?: string;
  types: Record<string, TypeSyncStats>;
}

export function emptyByteCounters(): ByteCounters {
  return { bytesSent: 0, bytesReceived: 0, messagesSent: 0, messagesReceived: 0 };
}

/** Records one stream's stats, adding its traffic to the totals of the peer it belongs to. */
export class StreamStatsRecorder {
  readonly stats: StreamStats;

  constructor(
    kind: KdsStreamKind,
    role: StreamRole,
    private readonly totals: ByteCounters,
  ) {
    this.stats = { kind, role, openedAt: new Date(), types: {}, ...emptyByteCounters() };
  }

  messageSent(bytes: number): void {
    for (const counters of [this.stats, this.totals]) {
      counters.bytesSent += bytes;
      counters.messagesSent += 1;
    }
  }

  messageReceived(bytes: number): void {
    for (const counters of [this.stats, this.totals]) {
      counters.bytesReceived += bytes;
      counters.messagesReceived += 1;
    }
  }

  response(type: string): void {
    const stats = this.type(type);
    stats.responses += 1;
    stats.lastResponseAt = new Date();
  }

  ack(type: string, systemVersion: string): void {
    const stats = this.type(type);
    stats.acked += 1;
    stats.ackedVersion = systemVersion;
    stats.lastAckAt = new Date();
  }

  nack(type: string, error: string): void {
    const stats = this.type(type);
    stats.nacked += 1;
    stats.lastNackAt = new Date();
    stats.lastNackError = error;
  }

  localError(type: string, error: string): void {
    this.type(type).lastLocalError = error;
  }

  closed(reason: string): void {
    this.stats.closedAt = new Date();
    this.stats.closeReason = reason;
  }

  private type(type: string): TypeSyncStats {
    return (this.stats.types[type] ??= { responses: 0, acked: 0, nacked: 0 });
  }
}
