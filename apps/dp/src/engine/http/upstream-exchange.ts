import type { AttemptOutcome } from "./retry-policy";
import type { UpstreamConnection } from "./upstream-connection";
import type { UpstreamPool } from "./upstream-pool";

/** Where a response body goes; write returning false pauses the upstream until resume(). */
export interface BodySink {
  write(chunk: Buffer): boolean;
  end(): void;
  /** The upstream connection broke before the body's end. */
  abort(): void;
}

export interface UpstreamResponse {
  status: number;
  /** Header names and values as received, flat: [name, value, ...]. */
  rawHeaders: string[];
  /** Sends the body to `sink`, from the first byte (what arrived before this call is kept). */
  stream(sink: BodySink): void;
  resume(): void;
  /** Reads the rest of the body into nothing, so the connection goes back to the pool. */
  discard(): void;
  /** Closes the connection mid-body (overall timeout, downstream gone). */
  destroy(): void;
}

export type Attempt = { outcome: AttemptOutcome; response?: UpstreamResponse };

const discarding: BodySink = { write: () => true, end: () => {}, abort: () => {} };

/**
 * One try of a request on a pooled connection: resolves at the response head (status and a body to stream) or
 * with the failure (connect failure, reset, per-try timeout); a new connection must connect within connectTimeoutMs.
 */
export function sendUpstream(pool: UpstreamPool, host: string, port: number, head: string, body: Buffer, skipBody: boolean, timeoutMs: number | undefined, connectTimeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    let connection: UpstreamConnection | undefined;
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let withdraw = () => {};
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => fail("per-try-timeout"), timeoutMs);
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(connectTimer);
    };
    const fail = (failure: "per-try-timeout" | "connect-failure" | "reset") => {
      if (settled) return;
      settle();
      withdraw();
      connection?.destroy();
      resolve({ outcome: { failure } });
    };

    const pending: Buffer[] = [];
    let sink: BodySink | undefined;
    let ended = false;
    let aborted = false;
    // Once the response has ended the connection is back in the pool, maybe carrying another exchange: hands off.
    const live = () => (ended || aborted ? undefined : connection);
    const response = (status: number, rawHeaders: string[]): UpstreamResponse => ({
      status,
      rawHeaders,
      stream(target) {
        sink = target;
        for (const chunk of pending.splice(0)) if (!target.write(chunk)) live()?.pause();
        if (ended) target.end();
        else if (aborted) target.abort();
      },
      resume: () => live()?.resume(),
      discard() {
        pending.length = 0;
        sink = discarding;
        live()?.resume();
      },
      destroy() {
        if (ended || aborted) return;
        aborted = true;
        connection?.destroy();
      },
    });

    const given = (next: UpstreamConnection) => {
      if (settled) return pool.release(next);
      connection = next;
      if (!next.connected) {
        connectTimer = setTimeout(() => fail("connect-failure"), connectTimeoutMs);
        next.socket.once("connect", () => clearTimeout(connectTimer));
      }
      next.send(head, body, skipBody, {
        onHead(status, rawHeaders) {
          settle();
          resolve({ outcome: { status }, response: response(status, rawHeaders) });
        },
        onData(chunk) {
          if (!sink) pending.push(chunk);
          else if (!sink.write(chunk)) next.pause();
        },
        onEnd() {
          ended = true;
          // Paused by a full downstream whose drain may never come now that the response ends: the next exchange reads again.
          next.resume();
          pool.release(next);
          sink?.end();
        },
        onFailure(failure) {
          if (!settled) return fail(failure);
          aborted = true;
          sink?.abort();
        },
      });
    };
    withdraw = pool.acquire(host, port, given, () => fail("connect-failure"));
  });
}
