import assert from "node:assert/strict";
import http from "node:http";
import { describe, test } from "node:test";
import type { RetryPolicy, SnapshotResources } from "@zonemesh/xds";
import { assignment, edsCluster, httpManager, listener, routeConfig } from "../testing/resources";
import { EngineUnderTest } from "../testing/engine-under-test";
import { eventually } from "../testing/test-control-plane";

/** What a backend saw of one request: its framing headers and its whole body. */
interface Received {
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  body: Buffer;
}

/** A POST whose body is sent in parts: each part after `between` (awaited) resolves. */
function post(port: number, parts: Buffer[], between: (index: number) => Promise<unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, method: "POST", path: "/upload", agent: false, headers }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    void (async () => {
      for (const [index, part] of parts.entries()) {
        if (index > 0) await between(index);
        request.write(part);
      }
      request.end();
    })();
  });
}

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 7 + seed) % 256;
  return bytes;
}

describe("request bodies through the built-in engine", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();

  /** A backend that records each request's framing and body, and answers `status(call)` once the body is in. */
  async function recording(name: string, status: (call: number) => number): Promise<{ port: number; received: Received[]; firstBytes: number[] }> {
    const received: Received[] = [];
    // Bytes of each request's body seen so far, as they arrive.
    const firstBytes: number[] = [];
    const backend = await engine.httpBackend(name, (request, response) => {
      const index = firstBytes.push(0) - 1;
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        firstBytes[index] = (firstBytes[index] ?? 0) + chunk.length;
      });
      request.on("end", () => {
        received.push({ contentLength: request.headers["content-length"], transferEncoding: request.headers["transfer-encoding"], body: Buffer.concat(chunks) });
        const code = status(received.length);
        response.writeHead(code).end(`${code} after ${Buffer.concat(chunks).length} bytes`);
      });
    });
    return { port: backend.port, received, firstBytes };
  }

  const routed = (cluster: string, backendPort: number, route: { retry_policy?: RetryPolicy; per_request_buffer_limit_bytes?: { value: number } } = {}): Promise<void> => {
    const { per_request_buffer_limit_bytes, ...action } = route;
    const resources: SnapshotResources = {
      listeners: [listener("outbound:http", engine.port, [httpManager("backend")])],
      clusters: [edsCluster(cluster)],
      endpoints: [assignment(cluster, [backendPort])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster, ...action }, ...(per_request_buffer_limit_bytes ? { per_request_buffer_limit_bytes } : {}) }])],
    };
    return engine.applied(resources);
  };
  const retryOn5xx: RetryPolicy = { retry_on: "5xx", num_retries: { value: 2 }, retry_back_off: { base_interval: { nanos: 1_000_000 } } };
  const retriesAbandoned = (cluster: string) => Number(new RegExp(`retry_or_shadow_abandoned_total\\{cluster="${cluster}"\\} (\\d+)`).exec(engine.proxy.engine.stats.prometheus())?.[1] ?? 0);

  test("a body streams to the upstream as it arrives: the upstream has the first part before the client sends the second", async () => {
    const upstream = await recording("streamed", () => 200);
    await routed("streamed", upstream.port);
    const [first, second] = [pattern(64 * 1024, 1), pattern(64 * 1024, 2)];
    const response = await post(engine.port, [first, second], () => eventually(() => assert.equal(upstream.firstBytes[0], first.length)), { "content-length": String(128 * 1024) });
    assert.deepEqual(response, { status: 200, body: `200 after ${128 * 1024} bytes` });
    assert.ok(upstream.received[0]?.body.equals(Buffer.concat([first, second])));
    assert.equal(upstream.received[0]?.contentLength, String(128 * 1024));
  });

  test("a chunked body still arriving goes upstream chunked; within the buffer limit a retry sends it again whole", async () => {
    const upstream = await recording("flaky", (call) => (call === 1 ? 503 : 200));
    await routed("flaky", upstream.port, { retry_policy: retryOn5xx });
    const parts = [pattern(10_000, 3), pattern(20_000, 4)];
    const response = await post(engine.port, parts, () => eventually(() => assert.equal(upstream.firstBytes[0], 10_000)));
    assert.deepEqual(response, { status: 200, body: "200 after 30000 bytes" });
    assert.deepEqual(
      upstream.received.map(({ contentLength, transferEncoding, body }) => [contentLength, transferEncoding, body.equals(Buffer.concat(parts))]),
      [
        [undefined, "chunked", true],
        ["30000", undefined, true],
      ],
    );
  });

  test("past the route's buffer limit the body's start is let go: the request is not retried, and the stat says so", async () => {
    const upstream = await recording("failing", () => 503);
    await routed("failing", upstream.port, { retry_policy: retryOn5xx, per_request_buffer_limit_bytes: { value: 8 * 1024 } });
    const parts = [pattern(16 * 1024, 5), pattern(16 * 1024, 6)];
    const response = await post(engine.port, parts, () => eventually(() => assert.equal(upstream.firstBytes[0], 16 * 1024)), { "content-length": String(32 * 1024) });
    assert.deepEqual(response, { status: 503, body: `503 after ${32 * 1024} bytes` });
    assert.equal(upstream.received.length, 1);
    assert.equal(retriesAbandoned("failing"), 1);

    // A body within the limit is retried on the same route.
    const small = await post(engine.port, [pattern(1024, 7)], async () => {});
    assert.equal(small.status, 503);
    assert.equal(upstream.received.length, 1 + 3);
  });
});
