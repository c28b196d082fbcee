// The test workloads: Dataplane documents and an HTTP backend whose behaviour the request path chooses.
import assert from "node:assert/strict";
import type http from "node:http";
import { stringify } from "yaml";
import { get, httpBackend, type TestBackend } from "@zonemesh/dp/testing/backends";

export interface DataplaneSpec {
  name: string;
  mesh?: string;
  /** Resource labels (what a policy's `kind: Dataplane` `labels` select). */
  labels?: Record<string, string>;
  /** The inbound: the dp listens on `port` and hands traffic to the workload on `servicePort`. */
  inbound: { port: number; servicePort: number; tags: Record<string, string> };
  /** Explicit outbounds on 127.0.0.1: the workload calls `127.0.0.1:<port>` to reach `service`. */
  outbound?: { port: number; service: string }[];
  /** Extra `networking` fields (e.g. `transparentProxying`). */
  networking?: Record<string, unknown>;
}

export function dataplaneYaml(spec: DataplaneSpec): string {
  return stringify({
    type: "Dataplane",
    mesh: spec.mesh ?? "default",
    name: spec.name,
    ...(spec.labels ? { labels: spec.labels } : {}),
    networking: {
      address: "127.0.0.1",
      inbound: [spec.inbound],
      ...(spec.outbound ? { outbound: spec.outbound.map((outbound) => ({ port: outbound.port, tags: { "kuma.io/service": outbound.service } })) } : {}),
      ...spec.networking,
    },
  });
}

/** What a scripted backend answers by default: who it is and what it saw of the caller. */
export interface BackendAnswer {
  name: string;
  path: string;
  /** The caller's identity as the backend's dp forwarded it (x-forwarded-client-cert). */
  xfcc: string | undefined;
  headers: http.IncomingHttpHeaders;
}

/**
 * An HTTP backend answering by path:
 * - `/delay/<ms>`: answers after `ms`;
 * - `/flaky/<key>/<n>`: 503 for the first `n` requests with that key, then 200; `attempts` counts them per key
 *   (pass one map to several backends so that they fail `n` times between them);
 * - anything else: a `BackendAnswer` at once.
 */
export async function scriptedBackend(name: string, attempts = new Map<string, number>()): Promise<TestBackend> {
  const answer = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const body: BackendAnswer = { name, path: request.url ?? "", xfcc: request.headers["x-forwarded-client-cert"] as string | undefined, headers: request.headers };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const backend = await httpBackend(name, (request, response) => {
    const [, kind, key = "", count = "0"] = (request.url ?? "/").split("/");
    if (kind === "delay") return void setTimeout(() => answer(request, response), Number(key));
    if (kind === "flaky") {
      const seen = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, seen);
      if (seen <= Number(count)) return void response.writeHead(503).end(`attempt ${seen} fails`);
    }
    answer(request, response);
  });
  return backend;
}

/** The scripted backend's answer to GET `path` through `port` (a dp's outbound or inbound); fails unless 200. */
export async function backendAnswer(port: number, path: string): Promise<BackendAnswer> {
  const response = await get(port, path);
  assert.equal(response.status, 200, `${path}: ${response.status} ${response.body}`);
  return JSON.parse(response.body) as BackendAnswer;
}
