import assert from "node:assert/strict";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { freePort } from "@zonemesh/testing";
import { typeNames, typed, type Cluster, type HttpConnectionManager, type RetryPolicy } from "@zonemesh/xds";
import { get } from "../testing/backends";
import { EngineUnderTest } from "../testing/engine-under-test";
import { GrpcEchoClient, grpcEchoBackend, type GrpcEchoBackend } from "../testing/grpc-echo";
import { assignment, edsCluster, httpManager, listener, routeConfig } from "../testing/resources";

const http2Options: Cluster["typed_extension_protocol_options"] = { [typeNames.httpProtocolOptions]: typed(typeNames.httpProtocolOptions, { explicit_http_config: { http2_protocol_options: {} } }) };

describe("HTTP/2 and gRPC through the built-in engine", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();
  let backend: GrpcEchoBackend;
  let client: GrpcEchoClient;

  // The listener's codec is AUTO (the default): it tells the gRPC client's HTTP/2 preface from HTTP/1.1.
  const routedTo = (port: number, retryPolicy?: RetryPolicy, manager: Partial<HttpConnectionManager> = {}) =>
    engine.applied({
      listeners: [listener("outbound:grpc", engine.port, [httpManager("echo", [], manager)])],
      clusters: [edsCluster("echo", { typed_extension_protocol_options: http2Options })],
      endpoints: [assignment("echo", [port])],
      routes: [routeConfig("echo", [{ match: { prefix: "/" }, route: { cluster: "echo", ...(retryPolicy ? { retry_policy: retryPolicy } : {}) } }])],
    });

  before(async () => {
    backend = await grpcEchoBackend();
    await routedTo(backend.port);
    client = new GrpcEchoClient(`127.0.0.1:${engine.port}`);
  });
  after(() => {
    client?.close();
    backend?.close();
  });

  test("a unary call goes through as HTTP/2 on both sides, metadata included", async () => {
    assert.equal(await client.unary("hello", "web"), "echo hello from web by none");
  });

  test("a gRPC error status reaches the caller in a trailers-only response", async () => {
    await assert.rejects(client.unary("missing", "web"), (error: grpc.ServiceError) => error.code === grpc.status.NOT_FOUND && error.details === "no such thing");
  });

  test("a server-streaming call relays every message, then the status in the trailers", async () => {
    assert.deepEqual(await client.countdown("3"), { messages: ["3", "2", "1"], code: grpc.status.OK, details: "OK" });
    assert.deepEqual(await client.countdown("2!"), { messages: ["2", "1"], code: grpc.status.ABORTED, details: "stopped at zero" });
  });

  test("an HTTP/1.1 client reaches an HTTP/2 upstream (pseudo-headers from its request line and host); an unreachable one answers 503", async () => {
    const h2 = http2.createServer((request, response) => response.end(`${request.method} ${request.url} ${request.headers[":authority"]} HTTP/${request.httpVersion}`));
    const sessions: http2.ServerHttp2Session[] = [];
    h2.on("session", (session: http2.ServerHttp2Session) => sessions.push(session));
    await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
    await routedTo((h2.address() as AddressInfo).port);
    assert.deepEqual(await get(engine.port, "/path?q=1", { host: "echo.mesh" }).then(({ status, body }) => [status, body]), [200, "GET /path?q=1 echo.mesh HTTP/2.0"]);
    h2.close();
    for (const session of sessions) session.destroy();
    await routedTo(await freePort());
    const unreachable = await get(engine.port, "/");
    assert.equal(unreachable.status, 503);
    assert.match(unreachable.body, /connect-failure/);
    await routedTo(backend.port);
  });

  test("retry_on gRPC conditions retry on the grpc-status of a trailers-only response", async () => {
    await assert.rejects(client.unary("flaky 1", "web"), (error: grpc.ServiceError) => error.code === grpc.status.UNAVAILABLE);
    await routedTo(backend.port, { retry_on: "cancelled,unavailable", num_retries: { value: 2 }, retry_back_off: { base_interval: { nanos: 1_000_000 } } });
    assert.equal(await client.unary("flaky 2", "web"), "echo flaky 2 from web by none");
    assert.deepEqual(backend.flakyCalls, ["flaky 1", "flaky 2", "flaky 2"]);
  });

  test("a stream the HTTP/2 upstream refuses (REFUSED_STREAM) is retried under refused-stream, and fails 503 without it", async () => {
    let streams = 0;
    let refuseNext = true;
    const refusing = http2.createServer();
    refusing.on("stream", (stream) => {
      streams++;
      stream.on("error", () => {});
      if (refuseNext) {
        refuseNext = false;
        return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      }
      stream.respond({ ":status": 200 });
      stream.end("served");
    });
    const sessions: http2.ServerHttp2Session[] = [];
    refusing.on("session", (session: http2.ServerHttp2Session) => sessions.push(session));
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const port = (refusing.address() as AddressInfo).port;
    try {
      await routedTo(port);
      const refused = await get(engine.port, "/");
      assert.equal(refused.status, 503);
      assert.match(refused.body, /reset reason: refused-stream/);
      await routedTo(port, { retry_on: "refused-stream", num_retries: { value: 1 }, retry_back_off: { base_interval: { nanos: 1_000_000 } } });
      refuseNext = true;
      assert.deepEqual(await get(engine.port, "/").then(({ status, body }) => [status, body]), [200, "served"]);
      assert.equal(streams, 3);
    } finally {
      refusing.close();
      for (const session of sessions) session.destroy();
      await routedTo(backend.port);
    }
  });

  test("stream_idle_timeout and request_timeout answer an HTTP/2 stream 408, or reset it once its response has begun; idle_timeout closes a connection without streams", async () => {
    const upstream = http2.createServer((request, response) => {
      if (request.url === "/partial") response.writeHead(200).write("part");
      else if (request.url === "/upload") request.resume().on("end", () => response.end("uploaded"));
    });
    const sessions: http2.ServerHttp2Session[] = [];
    upstream.on("session", (session: http2.ServerHttp2Session) => sessions.push(session));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const ms = (value: number) => ({ nanos: value * 1_000_000 });
    await routedTo((upstream.address() as AddressInfo).port, undefined, { stream_idle_timeout: ms(200), request_timeout: ms(300), common_http_protocol_options: { idle_timeout: ms(400) } });
    const session = http2.connect(`http://127.0.0.1:${engine.port}`);
    const call = (path: string, end = true) => {
      const stream = session.request({ ":method": end ? "GET" : "POST", ":path": path }, { endStream: end });
      stream.setEncoding("utf8");
      let body = "";
      stream.on("data", (chunk: string) => (body += chunk));
      const started = Date.now();
      const finished = new Promise<{ status: unknown; body: string; reset: number; ms: number }>((resolve) => stream.on("close", () => resolve({ status: status, body, reset: stream.rstCode ?? -1, ms: Date.now() - started })));
      let status: unknown;
      stream.on("response", (headers) => (status = headers[":status"]));
      stream.on("error", () => {});
      return { stream, finished };
    };
    try {
      const silent = await call("/silent").finished;
      assert.deepEqual([silent.status, silent.body], [408, "stream timeout"]);
      assert.ok(silent.ms >= 150, `answered after ${silent.ms} ms`);

      const partial = await call("/partial").finished;
      assert.deepEqual([partial.status, partial.body], [200, "part"]);
      assert.notEqual(partial.reset, http2.constants.NGHTTP2_NO_ERROR, "a begun response is reset, not ended");

      // The body keeps trickling in, so only request_timeout can end it.
      const upload = call("/upload", false);
      const trickle = setInterval(() => upload.stream.write("x"), 50);
      const late = await upload.finished;
      clearInterval(trickle);
      assert.deepEqual([late.status, late.body], [408, "request timeout"]);
      assert.ok(late.ms >= 250, `answered after ${late.ms} ms`);

      const uploaded = call("/upload", false);
      uploaded.stream.end("whole");
      assert.deepEqual(await uploaded.finished.then(({ status, body }) => [status, body]), [200, "uploaded"]);

      const idleSince = Date.now();
      await once(session, "close");
      assert.ok(Date.now() - idleSince >= 300, `closed after ${Date.now() - idleSince} ms without streams`);
    } finally {
      session.destroy();
      upstream.close();
      for (const open of sessions) open.destroy();
      await routedTo(backend.port);
    }
  });
});
