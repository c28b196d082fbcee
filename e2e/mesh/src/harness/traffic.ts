// Steady request traffic through a client dp's outbound, recorded so that tests can look at what failed when.
export interface TrafficResult {
  at: number;
  /** The HTTP status, or 0 when the connection failed. */
  status: number;
}

export interface Traffic {
  results: TrafficResult[];
  /** Results from `since` (a Date.now() value) on. */
  since(since: number): TrafficResult[];
  stop(): Promise<void>;
}

/** Sends `GET path` to 127.0.0.1:`port` one after another, `intervalMs` apart, until stopped. */
export function startTraffic(port: number, path = "/", intervalMs = 20): Traffic {
  const results: TrafficResult[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const at = Date.now();
      const status = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) }).then(
        async (response) => (await response.arrayBuffer(), response.status),
        () => 0,
      );
      results.push({ at, status });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    results,
    since: (since) => results.filter((result) => result.at >= since),
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
