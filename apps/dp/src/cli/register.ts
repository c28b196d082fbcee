import type { ProxyDocument } from "./proxy-document";

export interface RegisterOptions {
  /** How long to keep retrying while the CP is unreachable or answers 5xx (it may be starting). */
  retryForMs: number;
  log: (line: string) => void;
  initialBackoffMs?: number;
}

/** One PUT: undefined once registered, else why not and whether trying again may help. */
async function putOnce(url: URL, body: unknown): Promise<{ error: string; retriable: boolean } | undefined> {
  let response: Response;
  try {
    response = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch (error) {
    // fetch only says "fetch failed"; the cause says why (ECONNREFUSED...).
    return { error: ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message, retriable: true };
  }
  if (response.ok) return undefined;
  return { error: `HTTP ${response.status}: ${(await response.text()).slice(0, 2000)}`, retriable: response.status >= 500 };
}

/**
 * PUTs the Dataplane (or ZoneIngress) to the zone CP's REST API, which accepts them from localhost. A refusal (4xx)
 * fails at once; an unreachable or failing CP is retried with back-off (250 ms doubling to 5 s) for `retryForMs`.
 */
export async function registerProxy(apiUrl: string, document: ProxyDocument, options: RegisterOptions): Promise<void> {
  const path = document.type === "Dataplane" ? `/meshes/${encodeURIComponent(document.mesh)}/dataplanes/${encodeURIComponent(document.name)}` : `/zoneingresses/${encodeURIComponent(document.name)}`;
  const url = new URL(path, apiUrl);
  const what = `registering ${document.type} ${document.name} at ${url}`;
  const deadline = Date.now() + options.retryForMs;
  for (let backoffMs = options.initialBackoffMs ?? 250; ; backoffMs = Math.min(backoffMs * 2, 5_000)) {
    const failure = await putOnce(url, document.wire);
    if (!failure) return;
    if (!failure.retriable) throw new Error(`${what}: ${failure.error}`);
    if (Date.now() + backoffMs > deadline) throw new Error(`${what}: ${failure.error} (gave up after ${options.retryForMs} ms)`);
    options.log(`${what}: ${failure.error}; retrying in ${backoffMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, backoffMs));
  }
}
