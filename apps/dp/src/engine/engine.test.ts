import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort } from "@zonemesh/testing";
import { typeNames, typed, type ClusterLoadAssignment, type Route, type RouteAction, type SnapshotResources } from "@zonemesh/xds";
import { get, tcpEchoBackend, tcpExchange } from "../testing/backends";
import { assignment, edsCluster, httpManager, listener, routeConfig, tcpProxy } from "../testing/resources";
import { EngineUnderTest } from "../testing/engine-under-test";
import { eventually, type TestProxy } from "../testing/test-control-plane";

describe("built-in engine driven by a real ADS server", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();
  const { cp, backends, node } = engine;
  let proxy: TestProxy;
  let port: number;
  before(() => ({ proxy, port } = engine));
  const backend = (name: string, handler?: Parameters<typeof engine.httpBackend>[1]) => engine.httpBackend(name, handler);
  const applied = (resources: SnapshotResources) => engine.applied(resources);

  test("TCP proxy forwards to the EDS endpoint", async () => {
    const echo = await tcpEchoBackend("echo");
    backends.push(echo);
    await applied({ listeners: [listener("outbound:tcp", port, [tcpProxy("echo")])], clusters: [edsCluster("echo")], endpoints: [assignment("echo", [echo.port])] });
    assert.equal(await eventually(() => tcpExchange(port, "hello")), "echo:hello");
  });

  test("a listener update keeps open connections on their config and gives new ones the new config", async () => {
    const [blue, green] = [await tcpEchoBackend("blue"), await tcpEchoBackend("green")];
    backends.push(blue, green);
    const config = (cluster: string) => ({ listeners: [listener("outbound:tcp", port, [tcpProxy(cluster)])], clusters: [edsCluster("blue"), edsCluster("green")], endpoints: [assignment("blue", [blue.port]), assignment("green", [green.port])] });
    await applied(config("blue"));
    const open = net.connect({ host: "127.0.0.1", port });
    const answers: string[] = [];
    open.on("data", (chunk) => answers.push(chunk.toString()));
    open.write("one");
    await eventually(() => assert.deepEqual(answers, ["blue:one"]));
    await applied(config("green"));
    open.write("two");
    await eventually(() => assert.deepEqual(answers, ["blue:one", "blue:two"]));
    open.destroy();
    assert.equal(await tcpExchange(port, "three"), "green:three");
  });

  test("an LDS update that leaves a listener unchanged keeps its idle keep-alive connections open", async () => {
    const app = await backend("app");
    const other = await freePort();
    const base = { clusters: [edsCluster("app")], endpoints: [assignment("app", [app.port])], routes: [routeConfig("app", [{ match: { prefix: "/" }, route: { cluster: "app" } }])] };
    const http = listener("outbound:http", port, [httpManager("app")]);
    await applied({ ...base, listeners: [http] });
    const socket = net.connect({ host: "127.0.0.1", port });
    let received = "";
    let closed = false;
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("close", () => (closed = true));
    const request = () => socket.write("GET / HTTP/1.1\r\nhost: app\r\n\r\n");
    request();
    await eventually(() => assert.match(received, /\r\n\r\napp$/));
    await applied({ ...base, listeners: [http, listener("outbound:other", other, [tcpProxy("app")])] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(closed, false, "the unchanged listener's idle connection was closed");
    request();
    await eventually(() => assert.match(received, /app[^]*app$/));
    socket.destroy();
  });

  test("a caller gone before the upstream answers leaves the upstream connection usable, and the next request reuses it", async () => {
    const app = await backend("app", (request, response) => {
      if (request.url === "/slow") setTimeout(() => response.end("slow"), 100);
      else response.end("app");
    });
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("app")])],
      clusters: [edsCluster("app")],
      endpoints: [assignment("app", [app.port])],
      routes: [routeConfig("app", [{ match: { prefix: "/" }, route: { cluster: "app" } }])],
    });
    assert.equal((await eventually(() => get(port))).body, "app");
    const connectionsBefore = new Set(app.requests.map((request) => request.socket)).size;
    const caller = net.connect({ host: "127.0.0.1", port });
    caller.write("GET /slow HTTP/1.1\r\nhost: app\r\n\r\n");
    await eventually(() => assert.equal(app.requests.at(-1)?.url, "/slow"));
    caller.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const next = await Promise.race([get(port), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the request after the abandoned one got no answer")), 3000))]);
    assert.equal(next.body, "app");
    assert.equal(new Set(app.requests.map((request) => request.socket)).size, connectionsBefore, "a new upstream connection was opened");
  });

  test("HTTP route splits 90/10 between weighted clusters over 1,000 requests", async () => {
    const v1 = await backend("v1");
    const v2 = await backend("v2");
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("v1"), edsCluster("v2")],
      endpoints: [assignment("v1", [v1.port]), assignment("v2", [v2.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { weighted_clusters: { clusters: [{ name: "v1", weight: { value: 90 } }, { name: "v2", weight: { value: 10 } }] } } }])],
    });
    await eventually(async () => assert.equal((await get(port)).status, 200));
    const counts = { v1: 0, v2: 0 };
    for (let batch = 0; batch < 10; batch++) {
      const bodies = await Promise.all(Array.from({ length: 100 }, () => get(port).then((response) => response.body)));
      for (const body of bodies) counts[body as "v1" | "v2"]++;
    }
    assert.equal(counts.v1 + counts.v2, 1000);
    // 10 % of 1,000 has a standard deviation of about 9.5: 4 of them either way.
    assert.ok(counts.v2 >= 62 && counts.v2 <= 138, `v2 got ${counts.v2} of 1000`);
  });

  test("routes match on path, header and regex, and modify request headers", async () => {
    const echoHeaders = await backend("headers", (request, response) => response.end(JSON.stringify({ url: request.url, trace: request.headers["x-trace"] ?? null, internal: request.headers["x-internal"] ?? null })));
    const other = await backend("other");
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("headers"), edsCluster("other")],
      endpoints: [assignment("headers", [echoHeaders.port]), assignment("other", [other.port])],
      routes: [
        routeConfig("backend", [
          { match: { path: "/exact", headers: [{ name: "x-canary", string_match: { exact: "yes" } }] }, route: { cluster: "headers" }, request_headers_to_add: [{ header: { key: "x-trace", value: "canary" } }], request_headers_to_remove: ["x-internal"] },
          { match: { safe_regex: { regex: "/items/[0-9]+" } }, route: { cluster: "headers" } },
          { match: { prefix: "/old/" }, route: { cluster: "headers", prefix_rewrite: "/new/" } },
          { match: { prefix: "/" }, route: { cluster: "other" } },
        ]),
      ],
    });
    assert.deepEqual(JSON.parse((await get(port, "/exact", { "x-canary": "yes", "x-internal": "1" })).body), { url: "/exact", trace: "canary", internal: null });
    assert.equal((await get(port, "/exact")).body, "other");
    assert.equal(JSON.parse((await get(port, "/items/42")).body).url, "/items/42");
    assert.equal(JSON.parse((await get(port, "/old/a?b=1")).body).url, "/new/a?b=1");
    assert.equal((await get(port, "/items/x")).body, "other");
  });

  test("redirects, and mirrors a copy of the request to another cluster", async () => {
    const main = await backend("main");
    const mirror = await backend("mirror");
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("main"), edsCluster("mirror")],
      endpoints: [assignment("main", [main.port]), assignment("mirror", [mirror.port])],
      routes: [
        routeConfig("backend", [
          { match: { prefix: "/old/" }, redirect: { scheme_redirect: "https", host_redirect: "new.example.com", prefix_rewrite: "/new/", response_code: "MOVED_PERMANENTLY" } } as Route,
          { match: { prefix: "/" }, route: { cluster: "main", request_mirror_policies: [{ cluster: "mirror", runtime_fraction: { default_value: { numerator: 100, denominator: "HUNDRED" } } }] } as RouteAction },
        ]),
      ],
    });
    const redirected = await get(port, "/old/page?x=1");
    assert.deepEqual([redirected.status, redirected.headers.location], [301, "https://new.example.com/new/page?x=1"]);
    assert.equal((await get(port, "/live", { host: "backend" })).body, "main");
    await eventually(() => assert.equal(mirror.requests[0]?.headers.host, "backend-shadow"));
  });

  test("access logs write Kuma's text format and JSON lines to their files", async () => {
    const ok = await backend("logged");
    const dir = mkdtempSync(join(tmpdir(), "dp-access-log-"));
    const fileLog = (file: string, log_format: object) => ({ name: "envoy.access_loggers.file", typed_config: typed(typeNames.fileAccessLog, { path: join(dir, file), log_format }) });
    const logs = [fileLog("text.log", { text_format_source: { inline_string: '%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_SENT% "%UPSTREAM_HOST%"\n' } }), fileLog("json.log", { json_format: { fields: { mesh: { stringValue: "default" }, status: { stringValue: "%RESPONSE_CODE%" } } } })];
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend", [], { access_log: logs })])],
      clusters: [edsCluster("ok")],
      endpoints: [assignment("ok", [ok.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "ok" } }])],
    });
    await get(port, "/logged?x=1");
    await eventually(() => assert.equal(readFileSync(join(dir, "text.log"), "utf8"), `GET /logged?x=1 HTTP/1.1 200 - 6 "127.0.0.1:${ok.port}"\n`));
    await eventually(() => assert.deepEqual(JSON.parse(readFileSync(join(dir, "json.log"), "utf8")), { mesh: "default", status: "200" }));
  });

  test("RING_HASH with a header hash policy keeps each user on one host (a ring of at most maximum_ring_size entries)", async () => {
    const hosts = [await backend("a"), await backend("b"), await backend("c")];
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("sticky", { lb_policy: "RING_HASH", ring_hash_lb_config: { minimum_ring_size: { value: 1024 }, maximum_ring_size: { value: 96 } } })],
      endpoints: [assignment("sticky", hosts.map((host) => host.port))],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "sticky", hash_policy: [{ header: { header_name: "x-user-id" } }] } }])],
    });
    const hostOf = async (user: string) => (await get(port, "/", { "x-user-id": user })).body;
    const users = Array.from({ length: 12 }, (_, index) => `user-${index}`);
    const first = await Promise.all(users.map(hostOf));
    assert.deepEqual(await Promise.all(users.map(hostOf)), first);
    assert.ok(new Set(first).size >= 2, `all users on ${first[0]}`);
  });

  test("RING_HASH by query parameter and by cookie: a missing cookie with a ttl is made up and set on the response, then keeps the client on one host", async () => {
    const hosts = [await backend("a"), await backend("b"), await backend("c")];
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("sticky", { lb_policy: "RING_HASH" })],
      endpoints: [assignment("sticky", hosts.map((host) => host.port))],
      routes: [
        routeConfig("backend", [
          {
            match: { prefix: "/" },
            route: {
              cluster: "sticky",
              hash_policy: [{ query_parameter: { name: "user" }, terminal: true }, { filter_state: { key: "io.kuma.none" } }, { cookie: { name: "sticky", ttl: { seconds: 3600 }, path: "/" } }],
            },
          },
        ]),
      ],
    });
    const users = Array.from({ length: 12 }, (_, index) => `user-${index}`);
    const byQuery = async () => Promise.all(users.map(async (user) => (await get(port, `/?user=${user}`)).body));
    const first = await byQuery();
    assert.deepEqual(await byQuery(), first);
    assert.ok(new Set(first).size >= 2, `all users on ${first[0]}`);
    assert.equal((await get(port, "/?user=user-1")).headers["set-cookie"], undefined, "the query parameter applied first, and is terminal");

    const fresh = await get(port, "/");
    const setCookie = String(fresh.headers["set-cookie"]);
    assert.match(setCookie, /^sticky="[0-9a-f]{8}"; Max-Age=3600; Path=\/; HttpOnly$/);
    const cookie = setCookie.split(";")[0] as string;
    const withCookie = await Promise.all(Array.from({ length: 8 }, () => get(port, "/", { cookie })));
    assert.deepEqual(new Set(withCookie.map((response) => response.body)), new Set([fresh.body]), "the made-up cookie maps to the host that answered");
    assert.ok(withCookie.every((response) => response.headers["set-cookie"] === undefined));
  });

  test("retries a 503 and answers with the retried response", async () => {
    let calls = 0;
    const flaky = await backend("flaky", (_request, response) => {
      calls++;
      response.writeHead(calls % 2 === 1 ? 503 : 200).end(calls % 2 === 1 ? "unavailable" : "recovered");
    });
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("flaky")],
      endpoints: [assignment("flaky", [flaky.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "flaky", retry_policy: { retry_on: "gateway-error", num_retries: { value: 2 }, retry_back_off: { base_interval: { nanos: 1_000_000 } } } } }])],
    });
    const response = await get(port);
    assert.deepEqual([response.status, response.body, calls], [200, "recovered", 2]);
  });

  test("a rate-limited answer is retried after the interval its retry-after header asks for (rate_limited_retry_back_off)", async () => {
    const calls: number[] = [];
    const limited = await backend("limited", (_request, response) => {
      calls.push(Date.now());
      if (calls.length === 1) response.writeHead(429, { "retry-after": "1" }).end("slow down");
      else response.end("served");
    });
    const retryPolicy = { retry_on: "retriable-status-codes", retriable_status_codes: [429], num_retries: { value: 1 }, retry_back_off: { base_interval: { nanos: 1_000_000 } }, rate_limited_retry_back_off: { reset_headers: [{ name: "Retry-After" }], max_interval: { seconds: 5 } } };
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("limited")],
      endpoints: [assignment("limited", [limited.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "limited", timeout: { seconds: 5 }, retry_policy: retryPolicy } }])],
    });
    const response = await get(port);
    assert.deepEqual([response.status, response.body, calls.length], [200, "served", 2]);
    const waited = (calls[1] as number) - (calls[0] as number);
    assert.ok(waited >= 1000 && waited < 3500, `retried after ${waited} ms`);
  });

  test("a route timeout answers 504 when the upstream is slower", async () => {
    const slow = await backend("slow", (_request, response) => setTimeout(() => response.end("late"), 500));
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("slow")],
      endpoints: [assignment("slow", [slow.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "slow", timeout: { nanos: 100_000_000 } } }])],
    });
    const started = Date.now();
    const response = await get(port);
    assert.equal(response.status, 504);
    assert.ok(Date.now() - started < 400, "answered only after the upstream");
  });

  test("a route timeout covers the body too: a body that stalls past it is cut off, and the next request goes through", async () => {
    const stalling = await backend("stalling", (request, response) => {
      response.writeHead(200, { "content-length": "100" });
      if (request.url === "/stall") response.write("part");
      else response.end("x".repeat(100));
    });
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("stalling", { circuit_breakers: { thresholds: [{ max_requests: { value: 1 } }] } })],
      endpoints: [assignment("stalling", [stalling.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "stalling", timeout: { nanos: 150_000_000 } } }])],
    });
    const started = Date.now();
    const cut = await new Promise<{ status: number; received: string; complete: boolean }>((resolve, reject) => {
      http
        .get({ port, path: "/stall", agent: false }, (response) => {
          let received = "";
          response.on("data", (chunk: Buffer) => (received += chunk.toString()));
          response.on("error", () => {});
          response.on("close", () => resolve({ status: response.statusCode ?? 0, received, complete: response.complete }));
        })
        .on("error", reject);
    });
    assert.deepEqual(cut, { status: 200, received: "part", complete: false });
    assert.ok(Date.now() - started < 1_000, `cut off after ${Date.now() - started} ms`);
    // The cut request's circuit-breaker slot (max_requests 1) is free again.
    assert.deepEqual(await get(port, "/whole").then((response) => [response.status, response.body.length]), [200, 100]);
  });

  test("a per-try timeout retries; the route timeout ends the retries", async () => {
    let calls = 0;
    const slowOnce = await backend("slow-once", (_request, response) => (++calls === 1 ? setTimeout(() => response.end("late"), 600) : response.end("second try")));
    const retryPolicy = { retry_on: "gateway-error", num_retries: { value: 5 }, per_try_timeout: { nanos: 100_000_000 }, retry_back_off: { base_interval: { nanos: 1_000_000 } } };
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("slow-once")],
      endpoints: [assignment("slow-once", [slowOnce.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "slow-once", timeout: { seconds: 2 }, retry_policy: retryPolicy } }])],
    });
    assert.deepEqual(await get(port).then((response) => [response.status, response.body, calls]), [200, "second try", 2]);

    const slow = await backend("slow", (_request, response) => setTimeout(() => response.end("late"), 600));
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("slow")],
      endpoints: [assignment("slow", [slow.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "slow", timeout: { nanos: 250_000_000 }, retry_policy: retryPolicy } }])],
    });
    const started = Date.now();
    assert.equal((await get(port)).status, 504);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 240 && elapsed < 550, `answered after ${elapsed} ms`);
    assert.ok(slow.requests.length >= 2 && slow.requests.length <= 3, `${slow.requests.length} tries`);
  });

  test("fault injection aborts with the configured status", async () => {
    const ok = await backend("ok");
    const fault = { name: "envoy.filters.http.fault", typed_config: typed(typeNames.httpFault, { abort: { http_status: 418, percentage: { numerator: 100, denominator: "HUNDRED" as const } } }) };
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend", [fault])])],
      clusters: [edsCluster("ok")],
      endpoints: [assignment("ok", [ok.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "ok" } }])],
    });
    assert.equal((await get(port)).status, 418);
    assert.equal(ok.requests.length, 0);
  });

  test("a fault with header matchers applies only to the requests they match; route configuration header changes win over route ones and remove headers", async () => {
    const ok = await backend("tagged");
    const fromFrontend = { name: "x-kuma-tags", string_match: { safe_regex: { regex: ".*&kuma\\.io/service=([^&]*,)?frontend(,[^&]*)?&.*" } } };
    const fault = { name: "envoy.filters.http.fault", typed_config: typed(typeNames.httpFault, { abort: { http_status: 418, percentage: { numerator: 100, denominator: "HUNDRED" as const } }, headers: [fromFrontend] }) };
    const tags = (value: string) => ({ header: { key: "x-kuma-tags", value }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" as const });
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend", [fault])])],
      clusters: [edsCluster("tagged")],
      endpoints: [assignment("tagged", [ok.port])],
      routes: [{ ...routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "tagged" }, request_headers_to_add: [tags("&kuma.io/service=route-level&")] }]), request_headers_to_add: [tags("&kuma.io/service=web&")], request_headers_to_remove: ["x-internal"] }],
    });
    const status = async (callerTags?: string) => (await get(port, "/", callerTags ? { "x-kuma-tags": callerTags } : {})).status;
    assert.deepEqual(
      [await status("&kuma.io/service=frontend&"), await status("&kuma.io/service=api,frontend&&version=v1&"), await status("&kuma.io/service=frontend-v2&"), await status()],
      [418, 418, 200, 200],
    );
    assert.deepEqual(ok.requests.map((request) => request.headers["x-kuma-tags"]), ["&kuma.io/service=web&", "&kuma.io/service=web&"]);
    await get(port, "/", { "x-internal": "secret" });
    assert.equal(ok.requests.at(-1)?.headers["x-internal"], undefined);
  });

  test("fault response_rate_limit paces the response body to limit_kbps (KiB/s), whole; at 0% the body is not paced", async () => {
    const body = Buffer.alloc(48 * 1024, "z");
    const big = await backend("big", (_request, response) => response.writeHead(200).end(body));
    const paced = (numerator: number) => ({
      name: "envoy.filters.http.fault",
      typed_config: typed(typeNames.httpFault, { response_rate_limit: { fixed_limit: { limit_kbps: 32 }, percentage: { numerator, denominator: "HUNDRED" as const } } }),
    });
    const timed = async (numerator: number) => {
      await applied({
        listeners: [listener("outbound:http", port, [httpManager("backend", [paced(numerator)])])],
        clusters: [edsCluster("big")],
        endpoints: [assignment("big", [big.port])],
        routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "big" } }])],
      });
      const started = Date.now();
      const response = await get(port);
      return { elapsed: Date.now() - started, length: response.body.length };
    };
    // 48 KiB at 32 KiB/s, the first 1/20 s worth at once: about 1.45 s.
    const limited = await timed(100);
    assert.equal(limited.length, body.length);
    assert.ok(limited.elapsed >= 1300 && limited.elapsed < 3000, `paced body took ${limited.elapsed} ms`);
    const unlimited = await timed(0);
    assert.equal(unlimited.length, body.length);
    assert.ok(unlimited.elapsed < 1000, `unpaced body took ${unlimited.elapsed} ms`);
  });

  test("local rate limit answers 429 once the token bucket is empty", async () => {
    const ok = await backend("limited");
    const limit = {
      name: "envoy.filters.http.local_ratelimit",
      typed_config: typed(typeNames.httpLocalRateLimit, {
        stat_prefix: "rate_limit",
        token_bucket: { max_tokens: 2, tokens_per_fill: { value: 2 }, fill_interval: { seconds: 60 } },
        filter_enabled: { default_value: { numerator: 100, denominator: "HUNDRED" as const }, runtime_key: "enabled" },
        filter_enforced: { default_value: { numerator: 100, denominator: "HUNDRED" as const }, runtime_key: "enforced" },
        response_headers_to_add: [{ header: { key: "x-rate-limited", value: "yes" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" as const }],
        // Any envoy.type.v3.StatusCode name: Kuma's documented example answers 423.
        status: { code: "Locked" },
      }),
    };
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend", [limit])])],
      clusters: [edsCluster("ok")],
      endpoints: [assignment("ok", [ok.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "ok" } }])],
    });
    const responses = [await get(port), await get(port), await get(port)];
    assert.deepEqual(responses.map((response) => response.status), [200, 200, 423]);
    assert.equal(responses[2]?.headers["x-rate-limited"], "yes");
  });

  test("the circuit breaker refuses requests beyond max_requests with x-envoy-overloaded", async () => {
    const slow = await backend("slow", (_request, response) => setTimeout(() => response.end("done"), 200));
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("slow", { circuit_breakers: { thresholds: [{ max_requests: { value: 1 } }] } })],
      endpoints: [assignment("slow", [slow.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "slow" } }])],
    });
    const [first, second] = await Promise.all([get(port), new Promise((resolve) => setTimeout(resolve, 50)).then(() => get(port))]);
    assert.equal(first.status, 200);
    assert.deepEqual([second.status, second.headers["x-envoy-overloaded"]], [503, "true"]);
  });

  test("a route header value with a line break is refused with a 500 naming it, before it takes the circuit breaker's only request", async () => {
    const app = await backend("app");
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("app", { circuit_breakers: { thresholds: [{ max_requests: { value: 1 } }] } })],
      endpoints: [assignment("app", [app.port])],
      routes: [
        routeConfig("backend", [
          { match: { prefix: "/bad" }, route: { cluster: "app" }, request_headers_to_add: [{ header: { key: "x-split", value: "a\r\nx-injected: yes" } }] },
          { match: { prefix: "/" }, route: { cluster: "app" } },
        ]),
      ],
    });
    const refused = await eventually(() => get(port, "/bad"));
    assert.deepEqual([refused.status, refused.body], [500, "internal error: header x-split has a control character"]);
    assert.ok(!app.requests.some((request) => request.url === "/bad"), "the request reached the upstream");
    const results = [await get(port, "/ok"), await get(port, "/ok")];
    assert.deepEqual(results.map((result) => [result.status, result.body]), [[200, "app"], [200, "app"]]);
  });

  test("network RBAC without policies closes TCP connections", async () => {
    const echo = await tcpEchoBackend("guarded");
    backends.push(echo);
    const rbac = { name: "envoy.filters.network.rbac", typed_config: typed(typeNames.networkRbac, { stat_prefix: "rbac", rules: {} }) };
    await applied({ listeners: [listener("inbound:tcp", port, [rbac, tcpProxy("guarded")])], clusters: [edsCluster("guarded")], endpoints: [assignment("guarded", [echo.port])] });
    await assert.rejects(tcpExchange(port, "hello"), /closed without an answer/);
  });

  test("network local_ratelimit closes the connections past its token bucket", async () => {
    const echo = await tcpEchoBackend("limited");
    backends.push(echo);
    const limiter = { name: "envoy.filters.network.local_ratelimit", typed_config: typed(typeNames.networkLocalRateLimit, { stat_prefix: "tcp_limit", token_bucket: { max_tokens: 2, tokens_per_fill: { value: 1 }, fill_interval: { seconds: 60 } } }) };
    await applied({ listeners: [listener("inbound:tcp", port, [limiter, tcpProxy("limited")])], clusters: [edsCluster("limited")], endpoints: [assignment("limited", [echo.port])] });
    assert.equal(await tcpExchange(port, "one"), "limited:one");
    assert.equal(await tcpExchange(port, "two"), "limited:two");
    await assert.rejects(tcpExchange(port, "three"), /closed without an answer/);
  });

  test("active HTTP health checks take a failing endpoint out of rotation", async () => {
    const healthy = await backend("healthy");
    const sick = await backend("sick", (request, response) => response.writeHead(request.url === "/healthz" ? 500 : 200).end("sick"));
    const healthCheck = { timeout: { nanos: 200_000_000 }, interval: { nanos: 50_000_000 }, unhealthy_threshold: { value: 1 }, healthy_threshold: { value: 1 }, http_health_check: { path: "/healthz" } };
    await applied({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("pool", { health_checks: [healthCheck] })],
      endpoints: [assignment("pool", [healthy.port, sick.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "pool" } }])],
    });
    await eventually(() => assert.ok(sick.requests.some((request) => request.url === "/healthz"), "no health check yet"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const bodies = await Promise.all(Array.from({ length: 20 }, () => get(port).then((response) => response.body)));
    assert.deepEqual(new Set(bodies), new Set(["healthy"]));
  });

  test("priority load: a priority with half its hosts healthy keeps 70 % of the requests (Envoy's factor 1.4) and spills the rest; overprovisioning_factor 200 keeps them all", async () => {
    const local = await Promise.all(["local-a", "local-b", "local-c", "local-d"].map((name) => backend(name)));
    const remote = await backend("remote");
    const host = (port: number, health_status?: "UNHEALTHY") => ({ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: port } } }, ...(health_status ? { health_status } : {}) });
    const config = (policy?: ClusterLoadAssignment["policy"]) => ({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("spill")],
      endpoints: [
        {
          cluster_name: "spill",
          endpoints: [
            { lb_endpoints: local.map((started, index) => host(started.port, index < 2 ? "UNHEALTHY" : undefined)) },
            { priority: 1, lb_endpoints: [host(remote.port)] },
          ],
          ...(policy ? { policy } : {}),
        },
      ],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "spill" } }])],
    });
    const remoteShare = async () => {
      const answers = [];
      for (let index = 0; index < 400; index++) answers.push((await get(port)).body);
      assert.ok(answers.every((answer) => ["local-c", "local-d", "remote"].includes(answer)), `unhealthy hosts answered: ${[...new Set(answers)]}`);
      return answers.filter((answer) => answer === "remote").length / answers.length;
    };
    await applied(config());
    const spilled = await remoteShare();
    assert.ok(spilled > 0.2 && spilled < 0.4, `priority 1 took ${spilled}`);
    await applied(config({ overprovisioning_factor: { value: 200 } }));
    assert.equal(await remoteShare(), 0);
  });

  test("panic is per priority and only when the priorities cannot take the load: a local zone with every host unhealthy fails over to a healthy remote one", async () => {
    const local = await Promise.all(["dead-a", "dead-b", "dead-c"].map((name) => backend(name)));
    const remote = await backend("remote-ok");
    const host = (port: number, health_status?: "UNHEALTHY") => ({ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: port } } }, ...(health_status ? { health_status } : {}) });
    const withRemote = (remoteHealth?: "UNHEALTHY") => ({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("failover")],
      endpoints: [{ cluster_name: "failover", endpoints: [{ lb_endpoints: local.map((started) => host(started.port, "UNHEALTHY")) }, { priority: 1, lb_endpoints: [host(remote.port, remoteHealth)] }] }],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "failover" } }])],
    });
    // 1 of 4 hosts available is under the 50 % panic threshold overall, but priority 1 can take all the load.
    await applied(withRemote());
    const answers = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await get(port)).body)));
    assert.deepEqual(answers, new Set(["remote-ok"]));
    // Nothing available anywhere: priority 0 is in panic and its hosts take the requests.
    await applied(withRemote("UNHEALTHY"));
    const panicked = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await get(port)).body)));
    assert.ok([...panicked].every((answer) => answer.startsWith("dead-")), [...panicked].join(", "));
  });

  test("locality weighted balancing: with locality_weighted_lb_config localities weighing 9 and 1 share 90/10; without it their weights are ignored", async () => {
    const [near, far] = [await backend("near"), await backend("far")];
    const host = (started: { port: number }) => ({ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: started.port } } } });
    const config = (localityWeighted: boolean) => ({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("localities", localityWeighted ? { common_lb_config: { locality_weighted_lb_config: {} } } : {})],
      endpoints: [
        {
          cluster_name: "localities",
          endpoints: [
            { locality: { zone: "east", sub_zone: "k8s.io/node=node-a" }, load_balancing_weight: { value: 9 }, lb_endpoints: [host(near)] },
            { locality: { zone: "east" }, load_balancing_weight: { value: 1 }, lb_endpoints: [host(far)] },
          ],
        },
      ],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "localities" } }])],
    });
    const nearShare = async () => {
      let nearAnswers = 0;
      for (let index = 0; index < 400; index++) if ((await get(port)).body === "near") nearAnswers++;
      return nearAnswers / 400;
    };
    await applied(config(true));
    const weighted = await nearShare();
    assert.ok(weighted > 0.84 && weighted < 0.96, `near took ${weighted}`);
    await applied(config(false));
    assert.equal(await nearShare(), 0.5);
  });

  test("below the healthy panic threshold (every host failing its health check) requests go to all hosts; fail_traffic_on_panic answers 503", async () => {
    const sick = await backend("sick", (request, response) => response.writeHead(request.url === "/healthz" ? 500 : 200).end("sick"));
    const healthCheck = { timeout: { nanos: 200_000_000 }, interval: { nanos: 50_000_000 }, unhealthy_threshold: { value: 1 }, healthy_threshold: { value: 1 }, http_health_check: { path: "/healthz" } };
    const config = (cluster: object) => ({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("sick", { health_checks: [healthCheck], ...cluster })],
      endpoints: [assignment("sick", [sick.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "sick" } }])],
    });
    await applied(config({}));
    await eventually(() => assert.ok(sick.requests.some((request) => request.url === "/healthz"), "no health check yet"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await get(port).then((response) => [response.status, response.body]), [200, "sick"]);
    await applied(config({ common_lb_config: { zone_aware_lb_config: { fail_traffic_on_panic: true } } }));
    await eventually(async () => assert.equal((await get(port)).status, 503));
  });

  test("an unsupported filter is NACKed with its name and the last good config keeps serving", async () => {
    const ok = await backend("still-ok");
    const good = {
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster("ok")],
      endpoints: [assignment("ok", [ok.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "ok" } }])],
    };
    await applied(good);
    const limiter = { name: "envoy.filters.network.connection_limit", typed_config: typed("envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit", { stat_prefix: "x", max_connections: { value: 1 } }) };
    cp.set(node, { ...good, listeners: [listener("outbound:http", port, [limiter, httpManager("backend")])] });
    const nack = await eventually(() => {
      const event = proxy.events.findLast((candidate) => candidate.kind === "nack");
      assert.ok(event && event.kind === "nack", "no NACK yet");
      return event;
    });
    assert.match(nack.error, /filter_chains\[0\]\.filters\[0\]\.typed_config: type\.googleapis\.com\/envoy\.extensions\.filters\.network\.connection_limit\.v3\.ConnectionLimit is not supported/);
    assert.equal((await get(port)).body, "still-ok");
  });

  test("keeps serving while the ADS server is away and picks up new config after it restarts", async () => {
    const before = await backend("before");
    const afterRestart = await backend("after");
    const config = (cluster: string, backendPort: number) => ({
      listeners: [listener("outbound:http", port, [httpManager("backend")])],
      clusters: [edsCluster(cluster)],
      endpoints: [assignment(cluster, [backendPort])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster } }])],
    });
    await applied(config("before", before.port));
    await cp.stop();
    await eventually(() => assert.equal(proxy.connection.connected, false));
    assert.equal((await get(port)).body, "before");
    cp.set(node, config("after", afterRestart.port));
    await cp.start(cp.port);
    await eventually(async () => assert.equal((await get(port)).body, "after"));
  });
});
