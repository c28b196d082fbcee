import type { GlobalRequest, ZoneReply } from "../wire/messages";

/** Why a request to a zone got no answer: not connected (or disconnected before answering), no answer in time, or the zone failed it. */
export type KdsRequestErrorCode = "ZONE_NOT_CONNECTED" | "TIMEOUT" | "ZONE_ERROR";

export class KdsRequestError extends Error {
  constructor(
    readonly code: KdsRequestErrorCode,
    readonly zone: string,
    message: string,
  ) {
    super(message);
    this.name = "KdsRequestError";
  }
}

export interface KdsRequestOptions {
  /** Default 10 s. */
  timeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(payload: unknown): void;
  reject(error: KdsRequestError): void;
  timer: NodeJS.Timeout;
}

/** One zone's requests stream: sends requests and settles them with the zone's replies. */
export class ZoneRequestChannel {
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;

  constructor(
    readonly zone: string,
    private readonly send: (request: GlobalRequest) => void,
  ) {}

  request(kind: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const requestId = String(++this.nextId);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new KdsRequestError("TIMEOUT", this.zone, `zone "${this.zone}" did not answer the "${kind}" request within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.send({ requestId, kind, payload: Buffer.from(JSON.stringify(payload ?? null)) });
    });
  }

  /** Settles the request the reply names; a reply to a request that timed out is dropped. */
  handleReply(reply: ZoneReply): void {
    const pending = this.pending.get(reply.requestId);
    if (!pending) return;
    this.pending.delete(reply.requestId);
    clearTimeout(pending.timer);
    if (reply.error) {
      pending.reject(new KdsRequestError("ZONE_ERROR", this.zone, `zone "${this.zone}" failed the request: ${reply.error.message}`));
      return;
    }
    try {
      pending.resolve(JSON.parse(Buffer.from(reply.payload).toString("utf8")));
    } catch (error) {
      pending.reject(new KdsRequestError("ZONE_ERROR", this.zone, `zone "${this.zone}" replied with invalid JSON: ${(error as Error).message}`));
    }
  }

  /** Fails every request in flight: the stream is gone. */
  close(reason: string): void {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new KdsRequestError("ZONE_NOT_CONNECTED", this.zone, `zone "${this.zone}" disconnected before answering (${reason})`));
    }
    this.pending.clear();
  }
}
