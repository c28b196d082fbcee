// Starts a real API server on a fresh store for tests (this package's and the CLI's).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ResourceStore, openStore } from "@zonemesh/store";
import { type ApiServer, type ApiServerOptions, createApiServer } from "../api-server";
import { loadOrCreateSigningKeys } from "../auth/signing-keys";

export interface TestApiServer {
  server: ApiServer;
  store: ResourceStore;
  url: string;
  close(): Promise<void>;
}

export interface TestApiServerOptions extends Partial<Pick<ApiServerOptions, "mode" | "zone" | "localAddresses" | "bodyLimit">> {
  /** A PostgreSQL URL; default a SQLite store in a temporary directory. */
  storeUrl?: string;
  host?: string;
}

export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "zonemesh-api-"));
  const store = await openStore(options.storeUrl ? { url: options.storeUrl } : { dataDir });
  const server = await createApiServer({
    store,
    mode: options.mode ?? "standalone",
    ...(options.zone ? { zone: options.zone } : {}),
    ...(options.localAddresses ? { localAddresses: options.localAddresses } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    signingKeys: await loadOrCreateSigningKeys(store),
    version: "0.0.0-test",
    listen: { host: options.host ?? "127.0.0.1", port: 0 },
  });
  return {
    server,
    store,
    url: server.address.url,
    async close() {
      await server.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** One HTTP request; JSON bodies are sent as JSON, strings as they are (with `contentType`). */
export async function call(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; headers?: Record<string, string> } = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  // A bounded wait, response body included: a call that gets no whole answer fails with its method and path instead
  // of stalling its test; an idempotent one is tried once more first.
  const attempt = async () => {
    const response = await fetch(url + path, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    return { response, text: await response.text() };
  };
  const { response, text } = await attempt()
    .catch((error: Error) => (method === "GET" || method === "PUT" ? attempt() : Promise.reject(error)))
    .catch((error: Error) => {
      throw new Error(`${method} ${url}${path}: ${error.message}`);
    });
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export { exampleResource } from "./example-resources";
