/** How long an upstream connection lives (the cluster's common_http_protocol_options); 0: no limit. */
export interface ConnectionLifetime {
  /** Closed after this long without a request (idle_timeout). */
  idleMs: number;
  /** Not used for another request after this long since it was opened (max_connection_duration). */
  maxAgeMs: number;
}

/** Whether a connection opened at `openedAt` is past max_connection_duration. */
export function agedOut(lifetime: ConnectionLifetime, openedAt: number, now = Date.now()): boolean {
  return lifetime.maxAgeMs > 0 && now - openedAt >= lifetime.maxAgeMs;
}

/** Whether an idle connection (idle since `idleSince`) is to be closed: idle too long, or aged out. */
export function expired(lifetime: ConnectionLifetime, openedAt: number, idleSince: number, now = Date.now()): boolean {
  return (lifetime.idleMs > 0 && now - idleSince >= lifetime.idleMs) || agedOut(lifetime, openedAt, now);
}

/**
 * Runs `sweep` every quarter of the shortest limit (at least 50 ms, at most a minute), so that an idle connection
 * closes at most that late: no timer is set or cleared per request. It does not keep the process alive.
 */
export function startSweeper(lifetime: ConnectionLifetime, sweep: () => void): { stop(): void } {
  const limits = [lifetime.idleMs, lifetime.maxAgeMs].filter((ms) => ms > 0);
  if (limits.length === 0) return { stop: () => {} };
  const timer = setInterval(sweep, Math.min(60_000, Math.max(50, Math.min(...limits) / 4)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
