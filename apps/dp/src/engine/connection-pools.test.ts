import assert from "node:assert/strict";
import net from "node:net";
import { describe, test } from "node:test";
import { get, tcpEchoBackend, tcpExchange } from "../testing/backends";
import { EngineUnderTest } from "../testing/engine-under-test";
import { assignment, edsCluster, httpManager, listener, routeConfig, tcpProxy } from "../testing/resources";

const onePool = { circuit_breakers: { thresholds: [{ max_connection_pools: { value: 1 } }] } };

describe("max_connection_pools: how many endpoints a cluster holds connections to at once", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();
  const overflows = () => Number(/zonemesh_dp_upstream_cx_pool_overflow_total\{cluster="pools"\} (\d+)/.exec(engine.proxy.engine.stats.prometheus())?.[1] ?? 0);

  test("HTTP: an idle pool is closed to make room for another endpoint; a busy one is not, and the request overflows with 503", async () => {
    const slow = (name: string) => engine.httpBackend(name, (request, response) => setTimeout(() => response.end(name), request.url === "/slow" ? 400 : 0));
    const [a, b] = [await slow("a"), await slow("b")];
    await engine.applied({
      listeners: [listener("outbound:http", engine.port, [httpManager("pools")])],
      clusters: [edsCluster("pools", onePool)],
      endpoints: [assignment("pools", [a.port, b.port])],
      routes: [routeConfig("pools", [{ match: { prefix: "/" }, route: { cluster: "pools" } }])],
    });
    // Round robin alternates: the second request needs the other endpoint's pool, the first one's being idle.
    const sequential = [await get(engine.port), await get(engine.port)];
    assert.deepEqual(new Set(sequential.map((response) => `${response.status} ${response.body}`)), new Set(["200 a", "200 b"]));
    assert.equal(overflows(), 0);

    const busy = get(engine.port, "/slow");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await get(engine.port);
    assert.deepEqual([refused.status, refused.headers["x-envoy-overloaded"]], [503, "true"]);
    assert.match(refused.body, /overflow/);
    assert.equal((await busy).status, 200);
    assert.equal(overflows(), 1);
  });

  test("TCP: a connection to a second endpoint while the first one's is open is closed (no pool free)", async () => {
    const [a, b] = [await tcpEchoBackend("a"), await tcpEchoBackend("b")];
    engine.backends.push(a, b);
    await engine.applied({
      listeners: [listener("outbound:tcp", engine.port, [tcpProxy("tcp-pools")])],
      clusters: [edsCluster("tcp-pools", onePool)],
      endpoints: [assignment("tcp-pools", [a.port, b.port])],
    });
    const held = net.connect({ host: "127.0.0.1", port: engine.port });
    const first = await new Promise<string>((resolve) => {
      held.once("data", (chunk) => resolve(chunk.toString()));
      held.write("hello");
    });
    assert.match(first, /^[ab]:hello$/);
    await assert.rejects(tcpExchange(engine.port, "again"), /closed without an answer/);
    held.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(await tcpExchange(engine.port, "after"), /^[ab]:after$/);
  });
});
