import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type net from "node:net";
import { describe, test } from "node:test";
import { typeNames, typed, type CommonHttpProtocolOptions } from "@zonemesh/xds";
import { get } from "../testing/backends";
import { EngineUnderTest } from "../testing/engine-under-test";
import { assignment, edsCluster, httpManager, listener, routeConfig } from "../testing/resources";

const ms = (value: number) => ({ nanos: value * 1_000_000 });
const upstreamLifetime = (options: CommonHttpProtocolOptions, protocol: "http_protocol_options" | "http2_protocol_options" = "http_protocol_options") => ({
  typed_extension_protocol_options: {
    [typeNames.httpProtocolOptions]: typed(typeNames.httpProtocolOptions, { explicit_http_config: { [protocol]: {} }, common_http_protocol_options: options }),
  },
});

/** A keep-alive GET on `agent`, with the socket it went on. */
function keptAliveGet(port: number, path: string, agent: http.Agent): Promise<{ status: number; connection: string | undefined; body: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body, socket: request.socket as net.Socket }));
    });
    request.on("error", reject);
  });
}

describe("connection lifetimes: max_connection_duration and idle_timeout of HTTP connections", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();

  test("downstream max_connection_duration: an idle connection is closed at the deadline; one with a request in flight gets connection: close on its response", async () => {
    const backend = await engine.httpBackend("slow", (request, response) => setTimeout(() => response.end("done"), request.url === "/slow" ? 500 : 0));
    await engine.applied({
      listeners: [listener("outbound:life", engine.port, [httpManager("life", [], { common_http_protocol_options: { max_connection_duration: ms(300) } })])],
      clusters: [edsCluster("life")],
      endpoints: [assignment("life", [backend.port])],
      routes: [routeConfig("life", [{ match: { prefix: "/" }, route: { cluster: "life" } }])],
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const opened = Date.now();
      const first = await keptAliveGet(engine.port, "/", agent);
      assert.deepEqual([first.status, first.connection === "close"], [200, false]);
      await once(first.socket, "close");
      const lived = Date.now() - opened;
      assert.ok(lived >= 250 && lived < 1000, `the idle connection was closed after ${lived} ms, expected about 300`);

      const slow = await keptAliveGet(engine.port, "/slow", agent);
      assert.deepEqual([slow.status, slow.body, slow.connection], [200, "done", "close"], "the response in flight at the deadline is the connection's last");
    } finally {
      agent.destroy();
    }
  });

  test("upstream max_connection_duration: a connection older than it carries no new request; idle_timeout closes an idle one", async () => {
    const backend = await engine.httpBackend("aged");
    await engine.applied({
      listeners: [listener("outbound:aged", engine.port, [httpManager("aged")])],
      clusters: [edsCluster("aged", upstreamLifetime({ max_connection_duration: ms(300) }))],
      endpoints: [assignment("aged", [backend.port])],
      routes: [routeConfig("aged", [{ match: { prefix: "/" }, route: { cluster: "aged" } }])],
    });
    const connections = () => new Set(backend.requests.map((request) => request.socket)).size;
    assert.equal((await get(engine.port)).status, 200);
    assert.equal((await get(engine.port)).status, 200);
    assert.equal(connections(), 1, "kept alive and reused while young");
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal((await get(engine.port)).status, 200);
    assert.equal(connections(), 2, "past max_connection_duration a new connection is opened");

    await engine.applied({
      listeners: [listener("outbound:aged", engine.port, [httpManager("aged")])],
      clusters: [edsCluster("aged", upstreamLifetime({ idle_timeout: ms(200) }))],
      endpoints: [assignment("aged", [backend.port])],
      routes: [routeConfig("aged", [{ match: { prefix: "/" }, route: { cluster: "aged" } }])],
    });
    assert.equal((await get(engine.port)).status, 200);
    const idleSince = Date.now();
    await once(backend.requests[backend.requests.length - 1]!.socket, "close");
    const idle = Date.now() - idleSince;
    assert.ok(idle >= 150 && idle < 1000, `the idle upstream connection was closed after ${idle} ms, expected about 200`);
  });

  test("upstream HTTP/2: a session older than max_connection_duration takes no new stream, and closes once idle", async () => {
    const sessions: http2.ServerHttp2Session[] = [];
    const upstream = http2.createServer((_request, response) => response.end("h2"));
    upstream.on("session", (session: http2.ServerHttp2Session) => sessions.push(session));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    try {
      await engine.applied({
        listeners: [listener("outbound:h2", engine.port, [httpManager("h2")])],
        clusters: [edsCluster("h2", upstreamLifetime({ max_connection_duration: ms(300) }, "http2_protocol_options"))],
        endpoints: [assignment("h2", [(upstream.address() as AddressInfo).port])],
        routes: [routeConfig("h2", [{ match: { prefix: "/" }, route: { cluster: "h2" } }])],
      });
      assert.deepEqual([(await get(engine.port)).body, (await get(engine.port)).body], ["h2", "h2"]);
      assert.equal(sessions.length, 1);
      const firstClosed = once(sessions[0]!, "close");
      await new Promise((resolve) => setTimeout(resolve, 350));
      assert.equal((await get(engine.port)).body, "h2");
      assert.equal(sessions.length, 2, "past max_connection_duration the request goes on a new session");
      await firstClosed;
    } finally {
      for (const session of sessions) session.destroy();
      upstream.close();
    }
  });
});
