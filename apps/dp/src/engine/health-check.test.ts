import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { freePort } from "@zonemesh/testing";
import { typeNames, typed, type Cluster, type HealthCheck } from "@zonemesh/xds";
import { get, tcpEchoBackend, tcpExchange } from "../testing/backends";
import { EngineUnderTest } from "../testing/engine-under-test";
import { assignment, edsCluster, httpManager, listener, routeConfig, tcpProxy } from "../testing/resources";
import { eventually } from "../testing/test-control-plane";

const bytes = { serialize: (value: Buffer) => value, deserialize: (value: Buffer) => value };
const unary = (path: string) => ({ path, requestStream: false, responseStream: false, requestSerialize: bytes.serialize, requestDeserialize: bytes.deserialize, responseSerialize: bytes.serialize, responseDeserialize: bytes.deserialize });
/** grpc.health.v1.Health/Check and a method that answers the server's name, messages as raw bytes. */
const service = { check: unary("/grpc.health.v1.Health/Check"), name: unary("/test.Who/Name") } satisfies grpc.ServiceDefinition;
type WhoClient = grpc.Client & { name(request: Buffer, callback: (error: grpc.ServiceError | null, response?: Buffer) => void): void };

const serving = 1;
const notServing = 2;

/** A grpc-js server whose health answer is `status` (a HealthCheckResponse is field 1, a varint), recording the checks' service names and authorities. */
async function grpcServer(name: string) {
  const server = new grpc.Server();
  const state = { status: serving, checks: [] as { service: string; authority: string }[] };
  server.addService(service, {
    check: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      state.checks.push({ service: call.request.subarray(2).toString(), authority: call.getHost() });
      callback(null, Buffer.from([0x08, state.status]));
    },
    name: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => callback(null, Buffer.from(name)),
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return { port, state, close: () => server.forceShutdown() };
}

const fast = { timeout: { nanos: 200_000_000 }, interval: { nanos: 50_000_000 }, unhealthy_threshold: { value: 1 }, healthy_threshold: { value: 1 } };
const http2Options: Cluster["typed_extension_protocol_options"] = { [typeNames.httpProtocolOptions]: typed(typeNames.httpProtocolOptions, { explicit_http_config: { http2_protocol_options: {} } }) };

describe("active health checks through the built-in engine", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();
  /** The engine's listener routes HTTP to cluster `name`, whose endpoints are checked by `healthCheck`. */
  const httpRoutedTo = (name: string, ports: number[], healthCheck: HealthCheck) =>
    engine.applied({
      listeners: [listener("outbound:http", engine.port, [httpManager(name)])],
      clusters: [edsCluster(name, { health_checks: [healthCheck] })],
      endpoints: [assignment(name, ports)],
      routes: [routeConfig(name, [{ match: { prefix: "/" }, route: { cluster: name } }])],
    });

  test("gRPC: grpc.health.v1 Check with the service name and authority; NOT_SERVING takes an endpoint out of rotation, SERVING brings it back", async () => {
    const [a, b] = await Promise.all([grpcServer("a"), grpcServer("b")]);
    b.state.status = notServing;
    const client = new (grpc.makeGenericClientConstructor(service, "Who"))(`127.0.0.1:${engine.port}`, grpc.credentials.createInsecure()) as unknown as WhoClient;
    const whoAnswers = () => Promise.all(Array.from({ length: 12 }, () => new Promise<string>((resolve, reject) => client.name(Buffer.alloc(0), (error, response) => (error ? reject(error) : resolve(String(response)))))));
    try {
      const healthCheck: HealthCheck = { ...fast, grpc_health_check: { service_name: "test.Who", authority: "who.internal" } };
      await engine.applied({
        listeners: [listener("outbound:grpc", engine.port, [httpManager("who")])],
        clusters: [edsCluster("who", { typed_extension_protocol_options: http2Options, health_checks: [healthCheck] })],
        endpoints: [assignment("who", [a.port, b.port])],
        routes: [routeConfig("who", [{ match: { prefix: "/test.Who/" }, route: { cluster: "who" } }])],
      });
      await eventually(() => assert.ok(b.state.checks.length >= 2, "b not checked twice yet"));
      assert.deepEqual(b.state.checks[0], { service: "test.Who", authority: "who.internal" });
      assert.deepEqual(new Set(await whoAnswers()), new Set(["a"]));

      b.state.status = serving;
      await eventually(async () => assert.deepEqual(new Set(await whoAnswers()), new Set(["a", "b"])));
    } finally {
      client.close();
      a.close();
      b.close();
    }
  });

  test("TCP: the check sends its payload (hex text) and passes when the expected blocks (base64) come back in order", async () => {
    const [good, bad] = await Promise.all([tcpEchoBackend("good"), tcpEchoBackend("bad")]);
    engine.backends.push(good, bad);
    const healthCheck: HealthCheck = { ...fast, tcp_health_check: { send: { text: Buffer.from("ping").toString("hex") }, receive: [{ binary: Buffer.from("good:").toString("base64") }, { binary: Buffer.from("ng").toString("base64") }] } };
    await engine.applied({
      listeners: [listener("outbound:tcp", engine.port, [tcpProxy("echo")])],
      clusters: [edsCluster("echo", { health_checks: [healthCheck] })],
      endpoints: [assignment("echo", [good.port, bad.port])],
    });
    await eventually(async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, () => tcpExchange(engine.port, "hello")));
      assert.deepEqual(new Set(answers), new Set(["good:hello"]));
    });
  });

  test("unhealthy_interval re-checks a failing endpoint more often than interval; the event log records its ejection, each failure after it and its recovery", async () => {
    let sick = true;
    const checks: number[] = [];
    const backend = await engine.httpBackend("flapping", (request, response) => {
      if (request.url === "/healthz") checks.push(Date.now());
      response.writeHead(request.url === "/healthz" && sick ? 503 : 200).end("flapping");
    });
    const log = join(mkdtempSync(join(tmpdir(), "zonemesh-health-")), "events.log");
    const healthCheck: HealthCheck = { ...fast, interval: { seconds: 5 }, unhealthy_interval: { nanos: 50_000_000 }, event_log_path: log, always_log_health_check_failures: true, http_health_check: { path: "/healthz" } };
    await httpRoutedTo("flapping", [backend.port], healthCheck);
    await eventually(() => assert.ok(checks.length >= 4, `${checks.length} checks so far`));
    sick = false;
    const events = await eventually(() => {
      const lines = readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.ok(lines.some((line) => "add_healthy_event" in line), "no recovery logged yet");
      return lines;
    });
    const kinds = events.map((event) => Object.keys(event).find((key) => key.endsWith("_event")));
    assert.equal(kinds[0], "eject_unhealthy_event");
    assert.ok(kinds.slice(1, -1).length >= 2 && kinds.slice(1, -1).every((kind) => kind === "health_check_failure_event"), kinds.join(", "));
    assert.equal(kinds.at(-1), "add_healthy_event");
    assert.deepEqual(events[0], { health_checker_type: "HTTP", host: { socket_address: { address: "127.0.0.1", port_value: backend.port } }, cluster_name: "flapping", eject_unhealthy_event: { failure_type: "ACTIVE" }, timestamp: events[0]?.timestamp });
    // Healthy again: the next check waits the 5 s interval, through an EDS update (one more endpoint) too.
    const recoveredChecks = checks.length;
    await httpRoutedTo("flapping", [backend.port, await freePort()], healthCheck);
    // Past the 1 s in which new endpoints are looked for.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(checks.length, recoveredChecks);
  });

  test("reuse_connection (Envoy's default): HTTP, TCP and gRPC checks share one connection per endpoint while they pass; false opens one per check", async () => {
    /** A TCP proxy to `target` counting the connections it accepted and the bytes clients sent. */
    const countingProxy = async (target: number) => {
      const counts = { connections: 0, bytesIn: 0 };
      const proxy = net.createServer((socket) => {
        counts.connections++;
        socket.on("data", (chunk: Buffer) => (counts.bytesIn += chunk.length));
        const upstream = net.connect(target, "127.0.0.1");
        socket.pipe(upstream).pipe(socket);
        socket.on("error", () => upstream.destroy());
        upstream.on("error", () => socket.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      return { port: (proxy.address() as net.AddressInfo).port, counts, close: () => proxy.close() };
    };
    const reuse = (value: boolean | undefined) => (value === undefined ? {} : { reuse_connection: { value } });

    const http = async (name: string, value: boolean | undefined) => {
      const backend = await engine.httpBackend(name);
      const proxy = await countingProxy(backend.port);
      const checks = () => backend.requests.filter((request) => request.url === "/healthz").length;
      await httpRoutedTo(name, [proxy.port], { ...fast, ...reuse(value), http_health_check: { path: "/healthz" } });
      await eventually(() => assert.ok(checks() >= 5, "fewer than 5 checks yet"));
      proxy.close();
      return { connections: proxy.counts.connections, checks: checks() };
    };
    const tcp = async (name: string, value: boolean | undefined) => {
      const echo = await tcpEchoBackend(name);
      engine.backends.push(echo);
      const proxy = await countingProxy(echo.port);
      const send = Buffer.from("ping");
      await engine.applied({
        listeners: [listener("outbound:tcp", engine.port, [tcpProxy(name)])],
        clusters: [edsCluster(name, { health_checks: [{ ...fast, ...reuse(value), tcp_health_check: { send: { text: send.toString("hex") }, receive: [{ binary: send.toString("base64") }] } }] })],
        endpoints: [assignment(name, [proxy.port])],
      });
      await eventually(() => assert.ok(proxy.counts.bytesIn >= 5 * send.length, "fewer than 5 checks yet"));
      proxy.close();
      return { connections: proxy.counts.connections, checks: proxy.counts.bytesIn / send.length };
    };
    const grpcCheck = async (name: string, value: boolean | undefined) => {
      const server = await grpcServer(name);
      const proxy = await countingProxy(server.port);
      try {
        await engine.applied({
          listeners: [listener("outbound:grpc", engine.port, [httpManager(name)])],
          clusters: [edsCluster(name, { typed_extension_protocol_options: http2Options, health_checks: [{ ...fast, ...reuse(value), grpc_health_check: {} }] })],
          endpoints: [assignment(name, [proxy.port])],
          routes: [routeConfig(name, [{ match: { prefix: "/" }, route: { cluster: name } }])],
        });
        await eventually(() => assert.ok(server.state.checks.length >= 5, "fewer than 5 checks yet"));
        return { connections: proxy.counts.connections, checks: server.state.checks.length };
      } finally {
        proxy.close();
        server.close();
      }
    };

    for (const [kind, run] of [["HTTP", http], ["TCP", tcp], ["gRPC", grpcCheck]] as const) {
      const reused = await run(`${kind.toLowerCase()}-reused`, undefined);
      assert.equal(reused.connections, 1, `${kind}: ${reused.checks} checks over ${reused.connections} connections`);
      const fresh = await run(`${kind.toLowerCase()}-fresh`, false);
      assert.ok(fresh.connections >= 5 && fresh.connections >= fresh.checks - 1, `${kind} without reuse: ${fresh.checks} checks over ${fresh.connections} connections`);
    }
  });

  test("no_traffic_interval applies until the cluster has had traffic, then interval", async () => {
    const checks: number[] = [];
    const backend = await engine.httpBackend("quiet", (request, response) => {
      if (request.url === "/healthz") checks.push(Date.now());
      response.end("quiet");
    });
    const healthCheck: HealthCheck = { ...fast, interval: { seconds: 5 }, no_traffic_interval: { nanos: 50_000_000 }, http_health_check: { path: "/healthz" } };
    await httpRoutedTo("quiet", [backend.port], healthCheck);
    await eventually(() => assert.ok(checks.length >= 3, `${checks.length} checks so far`));
    assert.equal((await get(engine.port)).body, "quiet");
    // The check already scheduled still comes; the one after waits the interval.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterTraffic = checks.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(checks.length, afterTraffic);
  });
});
