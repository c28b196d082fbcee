// Real requests through real `zonemesh-dp` processes configured by a real zone CP (mTLS on), with policies applied on
// the global CP: client -> backend (v1 and v2, one dataplane each).
import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import http from "node:http";
import type { LookupFunction } from "node:net";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { call as apiCall } from "@zonemesh/cp/testing";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { bindAddress } from "@zonemesh/dp/engine/listener-address";
import { get, tcpEchoBackend, tcpExchange, tcpLineCollector, type TestBackend } from "@zonemesh/dp/testing/backends";
import { freePort } from "@zonemesh/testing";
import { allowAll, nacks, PROPAGATION_MS, startZoneCluster, type DataplaneProcess, type ZoneCluster } from "./harness";
import { backendAnswer, dataplaneYaml, scriptedBackend, type BackendAnswer } from "./harness/workloads";

const mesh = "default";
const canBindPort80 = process.getuid?.() === 0 || Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8")) <= 80;

describe("HTTP policies on real traffic (global + zone east, dps with mTLS)", { timeout: 600_000 }, () => {
  let cluster: ZoneCluster;
  let v1: TestBackend;
  let v2: TestBackend;
  // Attempts per /flaky key, counted by v1 and v2 together (a retry may go to the other one).
  const attempts = new Map<string, number>();
  let outbound: number;
  let echoOutbound: number;
  let client: DataplaneProcess;
  let dnsClient: DataplaneProcess;
  let echo: TestBackend;
  let echoAlt: TestBackend;
  const call = (path: string) => get(outbound, path);
  const answer = (path: string) => backendAnswer(outbound, path);

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east"] });
    await cluster.applyOnGlobal("meshtrafficpermissions", allowAll(mesh));
    [v1, v2] = await Promise.all([scriptedBackend("backend-v1", attempts), scriptedBackend("backend-v2", attempts)]);
    [echo, echoAlt] = await Promise.all([tcpEchoBackend("echo"), tcpEchoBackend("echo-alt")]);
    [outbound, echoOutbound] = [await freePort(), await freePort()];
    const tcpDp = async (service: string, servicePort: number) =>
      cluster.startDataplane({ zone: "east", yaml: dataplaneYaml({ name: service, inbound: { port: await freePort(), servicePort, tags: { "kuma.io/service": service, "kuma.io/protocol": "tcp" } } }) });
    const backendDp = async (version: string, servicePort: number) =>
      cluster.startDataplane({
        zone: "east",
        yaml: dataplaneYaml({ name: `backend-${version}`, labels: { app: "backend", track: version === "v2" ? "canary" : "stable" }, inbound: { port: await freePort(), servicePort, tags: { "kuma.io/service": "backend", "kuma.io/protocol": "http", version } } }),
      });
    await Promise.all([
      backendDp("v1", v1.port),
      backendDp("v2", v2.port),
      cluster.startDataplane({
        zone: "east",
        yaml: dataplaneYaml({ name: "client", inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "client", "kuma.io/protocol": "http" } }, outbound: [
            { port: outbound, service: "backend" },
            { port: echoOutbound, service: "echo" },
          ],
        }),
      }).then((dp) => (client = dp)),
      tcpDp("echo", echo.port),
      tcpDp("echo-alt", echoAlt.port),
      // Transparent proxying gives it listeners on the services' VIPs (port 80), which its embedded DNS answers with.
      canBindPort80 &&
      cluster.startDataplane({
        zone: "east",
        dns: true,
        yaml: dataplaneYaml({
          name: "client-dns",
          inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "client-dns", "kuma.io/protocol": "http" } },
          networking: { transparentProxying: { redirectPortInbound: await freePort(), redirectPortOutbound: await freePort(), reachableServices: ["backend"] } },
        }),
      }).then((dp) => (dnsClient = dp)),
    ]);
  });
  after(async () => {
    await cluster?.stop();
    await Promise.all([v1?.close(), v2?.close(), echo?.close(), echoAlt?.close()]);
  });

  test("baseline: a request from client reaches backend over mTLS (the backend sees the client's SPIFFE id in x-forwarded-client-cert)", async () => {
    const seen = await eventually(() => answer("/hello"), PROPAGATION_MS);
    assert.match(seen.name, /^backend-v[12]$/);
    assert.match(seen.xfcc ?? "", new RegExp(`URI=spiffe://${mesh}/client(;|,|$)`));
    assert.match(seen.xfcc ?? "", new RegExp(`By=spiffe://${mesh}/backend(;|,|$)`));
  });

  test("TCP: a plain TCP outbound reaches the echo service over mTLS, and a MeshTCPRoute sends it to echo-alt instead", async () => {
    assert.equal(await eventually(() => tcpExchange(echoOutbound, "ping"), PROPAGATION_MS), "echo:ping");
    await cluster.applyOnGlobal("meshtcproutes", {
      type: "MeshTCPRoute",
      mesh,
      name: "echo-to-alt",
      spec: { targetRef: { kind: "MeshService", name: "client" }, to: [{ targetRef: { kind: "MeshService", name: "echo" }, rules: [{ default: { backendRefs: [{ kind: "MeshService", name: "echo-alt" }] } }] }] },
    });
    await eventually(async () => assert.equal(await tcpExchange(echoOutbound, "ping"), "echo-alt:ping"), PROPAGATION_MS);
  });

  test("MeshTrafficPermission on a TCP service: Deny closes client's connections to echo-alt, an Allow for client opens them again", async () => {
    const permission = (from: object[]) => ({ type: "MeshTrafficPermission", mesh, name: "echo-alt-access", spec: { targetRef: { kind: "MeshService", name: "echo-alt" }, from } });
    await cluster.applyOnGlobal("meshtrafficpermissions", permission([{ targetRef: { kind: "Mesh" }, default: { action: "Deny" } }]));
    await eventually(() => assert.rejects(tcpExchange(echoOutbound, "ping")), PROPAGATION_MS);
    await cluster.applyOnGlobal("meshtrafficpermissions", permission([{ targetRef: { kind: "MeshService", name: "client" }, default: { action: "Allow" } }]));
    assert.equal(await eventually(() => tcpExchange(echoOutbound, "ping"), PROPAGATION_MS), "echo-alt:ping");
  });

  test("embedded DNS: backend.mesh resolves to the loopback alias of the VIP the zone CP allocated to backend, and http://backend.mesh reaches backend through the dp", { skip: !canBindPort80 && "binding VIP listeners on port 80 needs root (or net.ipv4.ip_unprivileged_port_start <= 80)" }, async () => {
    const served = await eventually(async () => {
      const response = await apiCall(cluster.zones.east!.apiUrl, "GET", `/meshes/${mesh}/dataplanes/client-dns/xds`);
      const listeners = [...new Set(JSON.stringify(response.body.configs).match(/outbound:\d+\.\d+\.\d+\.\d+:80/g))];
      assert.equal(listeners.length, 1, `listeners on VIPs: ${listeners.join(", ")}`);
      return listeners[0]!.split(":")[1]!;
    }, PROPAGATION_MS);
    assert.match(served, /^24\d\./, "a VIP in 240.0.0.0/4");
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${dnsClient.dnsPort}`]);
    assert.deepEqual(await eventually(() => resolver.resolve4("backend.mesh"), PROPAGATION_MS), [bindAddress(served)]);
    await assert.rejects(resolver.resolve4("nothing.mesh"), { code: "ENOTFOUND" });
    const seen = await eventually(() => getThroughDns(resolver, "http://backend.mesh/hello"), PROPAGATION_MS);
    assert.match(seen.name, /^backend-v[12]$/);
    assert.match(seen.xfcc ?? "", new RegExp(`URI=spiffe://${mesh}/client-dns(;|,|$)`));
  });

  test("MeshHTTPRoute: a 90/10 split between v1 and v2 holds over 1,000 requests", async () => {
    await cluster.applyOnGlobal("meshhttproutes", {
      type: "MeshHTTPRoute",
      mesh,
      name: "backend-split",
      spec: {
        targetRef: { kind: "MeshService", name: "client" },
        to: [
          {
            targetRef: { kind: "MeshService", name: "backend" },
            rules: [
              {
                matches: [{ path: { type: "PathPrefix", value: "/split" } }],
                default: {
                  backendRefs: [
                    { kind: "MeshServiceSubset", name: "backend", tags: { version: "v1" }, weight: 90 },
                    { kind: "MeshServiceSubset", name: "backend", tags: { version: "v2" }, weight: 10 },
                  ],
                },
              },
            ],
          },
        ],
      },
    });
    await eventually(async () => assert.match(JSON.stringify(await client.configDump()), /weighted_clusters/), PROPAGATION_MS);
    let v1Count = 0;
    const total = 1000;
    for (let batch = 0; batch < total / 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => answer("/split")));
      v1Count += answers.filter((seen) => seen.name === "backend-v1").length;
    }
    const share = v1Count / total;
    assert.ok(share >= 0.85 && share <= 0.95, `v1 share ${share} outside 0.85..0.95`);
  });

  test("MeshHTTPRoute: a header match sends x-canary: yes to v2 only, with the RequestHeaderModifier's header added", async () => {
    await cluster.applyOnGlobal("meshhttproutes", {
      type: "MeshHTTPRoute",
      mesh,
      name: "backend-canary",
      spec: {
        targetRef: { kind: "MeshService", name: "client" },
        to: [
          {
            targetRef: { kind: "MeshService", name: "backend" },
            rules: [
              {
                matches: [{ path: { type: "PathPrefix", value: "/canary" }, headers: [{ type: "Exact", name: "x-canary", value: "yes" }] }],
                default: {
                  filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-routed-by", value: "zonemesh" }] } }],
                  backendRefs: [{ kind: "MeshServiceSubset", name: "backend", tags: { version: "v2" }, weight: 1 }],
                },
              },
            ],
          },
        ],
      },
    });
    await eventually(async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => get(outbound, "/canary", { "x-canary": "yes" }).then((response) => JSON.parse(response.body) as BackendAnswer)));
      assert.deepEqual([...new Set(answers.map((seen) => `${seen.name} ${seen.headers["x-routed-by"]}`))], ["backend-v2 zonemesh"]);
    }, PROPAGATION_MS);
    const plain = await Promise.all(Array.from({ length: 6 }, () => answer("/canary")));
    assert.deepEqual(new Set(plain.map((seen) => `${seen.name} ${seen.headers["x-routed-by"]}`)), new Set(["backend-v1 undefined", "backend-v2 undefined"]));
  });

  test("MeshTimeout: a backend slower than http.requestTimeout gives 504 after about the timeout", async () => {
    await cluster.applyOnGlobal("meshtimeouts", {
      type: "MeshTimeout",
      mesh,
      name: "backend-timeout",
      spec: {
        targetRef: { kind: "MeshService", name: "client" },
        to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { requestTimeout: "1s" } } }],
        // As Kuma's documented default configuration writes them: 0 disables (the dps must not NACK it, see the last test).
        from: [{ targetRef: { kind: "Mesh" }, default: { http: { maxConnectionDuration: "0s", maxStreamDuration: "0s" } } }],
      },
    });
    const elapsed = await eventually(async () => {
      const started = Date.now();
      const response = await call("/delay/3000");
      assert.equal(response.status, 504, `${response.status} ${response.body}`);
      return Date.now() - started;
    }, PROPAGATION_MS);
    assert.ok(elapsed >= 900 && elapsed < 2500, `504 after ${elapsed} ms, expected about 1000`);
    assert.equal((await call("/delay/100")).status, 200);
  });

  test("MeshTimeout with a MeshHTTPRoute in to[] (Kuma 2.9+): only the requests of that route get its 300ms timeout", async () => {
    const slow = { "x-route": "slow" };
    await cluster.applyOnGlobal("meshhttproutes", {
      type: "MeshHTTPRoute",
      mesh,
      name: "slow-route",
      spec: {
        targetRef: { kind: "Dataplane", name: "client" },
        to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches: [{ headers: [{ type: "Exact", name: "x-route", value: "slow" }] }], default: {} }] }],
      },
    });
    await cluster.applyOnGlobal("meshtimeouts", {
      type: "MeshTimeout",
      mesh,
      name: "slow-route-timeout",
      spec: { to: [{ targetRef: { kind: "MeshHTTPRoute", name: "slow-route" }, default: { http: { requestTimeout: "300ms" } } }] },
    });
    const elapsed = await eventually(async () => {
      const started = Date.now();
      const response = await get(outbound, "/delay/700", slow);
      assert.equal(response.status, 504, `${response.status} ${response.body}`);
      return Date.now() - started;
    }, PROPAGATION_MS);
    assert.ok(elapsed >= 250 && elapsed < 650, `504 after ${elapsed} ms, expected about 300`);
    assert.equal((await call("/delay/700")).status, 200, "other requests keep backend's 1s timeout");
    await cluster.removeFromGlobal("meshtimeouts", "slow-route-timeout", mesh);
    await cluster.removeFromGlobal("meshhttproutes", "slow-route", mesh);
    await eventually(async () => assert.equal((await get(outbound, "/delay/700", slow)).status, 200), PROPAGATION_MS);
  });

  test("MeshRetry: a backend failing the first 2 attempts with 503 is retried to success (3 attempts at the backends)", async () => {
    assert.equal((await call("/flaky/before/1")).status, 503, "without MeshRetry the 503 reaches the client");
    assert.equal(attempts.get("before"), 1);
    await cluster.applyOnGlobal("meshretries", {
      type: "MeshRetry",
      mesh,
      name: "backend-retry",
      spec: {
        targetRef: { kind: "Mesh" },
        to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { numRetries: 3, backOff: { baseInterval: "10ms", maxInterval: "50ms" }, retryOn: ["5xx"] } } }],
      },
    });
    let key = "";
    await eventually(async () => {
      key = `k${Date.now()}`;
      const response = await call(`/flaky/${key}/2`);
      assert.equal(response.status, 200, `${response.status} ${response.body}`);
    }, PROPAGATION_MS);
    assert.equal(attempts.get(key), 3);
  });

  test("MeshFaultInjection on backend's inbound: abort 100% with 418 is observed, and gone once the policy is removed", async () => {
    await cluster.applyOnGlobal("meshfaultinjections", {
      type: "MeshFaultInjection",
      mesh,
      name: "backend-abort",
      spec: { targetRef: { kind: "MeshService", name: "backend" }, from: [{ targetRef: { kind: "Mesh" }, default: { http: [{ abort: { httpStatus: 418, percentage: 100 } }] } }] },
    });
    await eventually(async () => {
      const responses = await Promise.all([call("/fault"), call("/fault")]);
      assert.deepEqual(responses.map((response) => response.status), [418, 418]);
    }, PROPAGATION_MS);
    await cluster.removeFromGlobal("meshfaultinjections", "backend-abort", mesh);
    await eventually(async () => {
      const responses = await Promise.all([call("/fault"), call("/fault")]);
      assert.deepEqual(responses.map((response) => response.status), [200, 200]);
    }, PROPAGATION_MS);
  });

  test("kind Dataplane: a MeshFaultInjection on the dataplane labelled track: canary aborts only v2's requests; one naming backend-v1 only v1's", async () => {
    const abortOn = (name: string, targetRef: object) =>
      cluster.applyOnGlobal("meshfaultinjections", {
        type: "MeshFaultInjection",
        mesh,
        name,
        spec: { targetRef, rules: [{ default: { http: [{ abort: { httpStatus: 418, percentage: 100 } }] } }] },
      });
    /** Who answered 40 requests, counting 418s as the aborted. */
    const outcomes = async () => {
      const responses = await Promise.all(Array.from({ length: 40 }, () => call("/who")));
      return new Set(responses.map((response) => (response.status === 418 ? "aborted" : `${response.status} ${(JSON.parse(response.body) as BackendAnswer).name}`)));
    };
    await abortOn("canary-abort", { kind: "Dataplane", labels: { track: "canary" } });
    await eventually(async () => assert.deepEqual([...(await outcomes())].sort(), ["200 backend-v1", "aborted"]), PROPAGATION_MS);
    await cluster.removeFromGlobal("meshfaultinjections", "canary-abort", mesh);
    await abortOn("v1-abort", { kind: "Dataplane", name: "backend-v1" });
    await eventually(async () => assert.deepEqual([...(await outcomes())].sort(), ["200 backend-v2", "aborted"]), PROPAGATION_MS);
    await cluster.removeFromGlobal("meshfaultinjections", "v1-abort", mesh);
    await eventually(async () => assert.deepEqual([...(await outcomes())].sort(), ["200 backend-v1", "200 backend-v2"]), PROPAGATION_MS);
  });

  test("MeshFaultInjection from one caller: client's requests, told apart by x-kuma-tags (set by its dp whatever it sends, removed by the backend's dp), are aborted; client-dns's are not", async () => {
    assert.equal((await answer("/tags")).headers["x-kuma-tags"], undefined, "the backend's dp removes x-kuma-tags before the application");
    await cluster.applyOnGlobal("meshfaultinjections", {
      type: "MeshFaultInjection",
      mesh,
      name: "backend-abort-for-client",
      spec: { targetRef: { kind: "MeshService", name: "backend" }, from: [{ targetRef: { kind: "MeshService", name: "client" }, default: { http: [{ abort: { httpStatus: 418, percentage: 100 } }] } }] },
    });
    try {
      await eventually(async () => assert.deepEqual((await Promise.all([call("/fault"), call("/fault")])).map((response) => response.status), [418, 418]), PROPAGATION_MS);
      // Claiming to be another service in its own x-kuma-tags does not help: client's dp replaces the header.
      assert.equal((await get(outbound, "/fault", { "x-kuma-tags": "&kuma.io/service=someone-else&" })).status, 418);
      if (canBindPort80) {
        const resolver = new Resolver();
        resolver.setServers([`127.0.0.1:${dnsClient.dnsPort}`]);
        assert.match((await eventually(() => getThroughDns(resolver, "http://backend.mesh/fault"), PROPAGATION_MS)).name, /^backend-v[12]$/);
      }
    } finally {
      await cluster.removeFromGlobal("meshfaultinjections", "backend-abort-for-client", mesh);
    }
    await eventually(async () => assert.equal((await call("/fault")).status, 200), PROPAGATION_MS);
  });

  test("MeshRateLimit on backend's inbound: requests beyond the local rate get 429, and pass again once it is removed", async () => {
    await cluster.applyOnGlobal("meshratelimits", {
      type: "MeshRateLimit",
      mesh,
      name: "backend-rate",
      spec: { targetRef: { kind: "MeshService", name: "backend" }, from: [{ targetRef: { kind: "Mesh" }, default: { local: { http: { requestRate: { num: 2, interval: "10s" }, onRateLimit: { status: 429 } } } } }] },
    });
    await eventually(async () => {
      const codes = await Promise.all(Array.from({ length: 10 }, () => call("/limited").then((response) => response.status)));
      assert.ok(codes.includes(429), `no 429 in ${codes.join(",")}`);
    }, PROPAGATION_MS);
    await cluster.removeFromGlobal("meshratelimits", "backend-rate", mesh);
    await eventually(async () => {
      const codes = await Promise.all(Array.from({ length: 10 }, () => call("/limited").then((response) => response.status)));
      assert.deepEqual([...new Set(codes)], [200]);
    }, PROPAGATION_MS);
  });

  test("MeshHealthCheck: the client dp's active HTTP health checks reach the backends through their dps; MeshAccessLog writes the client's requests to a file and, relayed by its zonemesh-dp, to a TCP collector", async (t) => {
    const logFile = join(await mkdtemp(join(tmpdir(), "zonemesh-e2e-log-")), "outbound.log");
    const collector = await tcpLineCollector();
    t.after(() => collector.close());
    await cluster.applyOnGlobal("meshhealthchecks", {
      type: "MeshHealthCheck",
      mesh,
      name: "backend-health",
      spec: { targetRef: { kind: "MeshService", name: "client" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { interval: "1s", timeout: "2s", unhealthyThreshold: 3, healthyThreshold: 1, http: { path: "/healthz", expectedStatuses: [200] } } }] },
    });
    await cluster.applyOnGlobal("meshaccesslogs", {
      type: "MeshAccessLog",
      mesh,
      name: "client-log",
      spec: { targetRef: { kind: "MeshService", name: "client" }, to: [{ targetRef: { kind: "Mesh" }, default: { backends: [{ file: { path: logFile, format: { type: "Plain", plain: "%RESPONSE_CODE% %REQ(:PATH)% %UPSTREAM_HOST%" } } }, { tcp: { address: `127.0.0.1:${collector.port}`, format: { type: "Plain", plain: "%KUMA_MESH% %RESPONSE_CODE% %REQ(:PATH)%" } } }] } }] },
    });
    await eventually(() => {
      for (const backend of [v1, v2]) assert.ok(backend.requests.some((request) => request.url === "/healthz"), "no health check reached a backend");
    }, PROPAGATION_MS);
    await eventually(async () => {
      await answer("/logged");
      assert.match(await readFile(logFile, "utf8").catch(() => ""), /^200 \/logged 127\.0\.0\.1:\d+$/m);
    }, PROPAGATION_MS);
    await eventually(() => assert.ok(collector.lines.includes(`${mesh} 200 /logged`), collector.lines.join("\n")), PROPAGATION_MS);
    assert.deepEqual(new Set((await Promise.all(Array.from({ length: 10 }, () => answer("/healthy")))).map((seen) => seen.name)), new Set(["backend-v1", "backend-v2"]));
  });

  test("MeshLoadBalancingStrategy RingHash on a header keeps each user on one backend; MeshCircuitBreaker maxRequests 1 refuses a second concurrent request", async () => {
    await cluster.applyOnGlobal("meshloadbalancingstrategies", {
      type: "MeshLoadBalancingStrategy",
      mesh,
      name: "backend-by-user",
      spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { loadBalancer: { type: "RingHash", ringHash: { hashPolicies: [{ type: "Header", header: { name: "x-user" } }] } } } }] },
    });
    const usersSeeOneBackend = async () => {
      for (const user of ["alice", "bob", "carol"]) {
        const names = await Promise.all(Array.from({ length: 6 }, () => get(outbound, "/user", { "x-user": user }).then((response) => (JSON.parse(response.body) as BackendAnswer).name)));
        assert.equal(new Set(names).size, 1, `${user} reached ${names.join(", ")}`);
      }
    };
    await eventually(usersSeeOneBackend, PROPAGATION_MS);
    await cluster.applyOnGlobal("meshcircuitbreakers", {
      type: "MeshCircuitBreaker",
      mesh,
      name: "backend-one-at-a-time",
      spec: { targetRef: { kind: "MeshService", name: "client" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { connectionLimits: { maxRequests: 1 } } }] },
    });
    await eventually(async () => {
      const [first, second] = await Promise.all([call("/delay/500"), new Promise((resolve) => setTimeout(resolve, 100)).then(() => call("/delay/500"))]);
      assert.equal(first.status, 200);
      assert.deepEqual([second.status, second.headers["x-envoy-overloaded"]], [503, "true"]);
    }, PROPAGATION_MS);
    await cluster.removeFromGlobal("meshcircuitbreakers", "backend-one-at-a-time", mesh);
    await cluster.removeFromGlobal("meshloadbalancingstrategies", "backend-by-user", mesh);
    await eventually(async () => assert.deepEqual((await Promise.all([call("/delay/300"), call("/delay/300")])).map((response) => response.status), [200, 200]), PROPAGATION_MS);
  });

  test("MeshFaultInjection delay on backend's inbound: responses take at least the delay", async () => {
    await cluster.applyOnGlobal("meshfaultinjections", {
      type: "MeshFaultInjection",
      mesh,
      name: "backend-delay",
      spec: { targetRef: { kind: "MeshService", name: "backend" }, from: [{ targetRef: { kind: "Mesh" }, default: { http: [{ delay: { value: "600ms", percentage: 100 } }] } }] },
    });
    await eventually(async () => {
      const started = Date.now();
      await answer("/delayed");
      assert.ok(Date.now() - started >= 600, `answered after ${Date.now() - started} ms`);
    }, PROPAGATION_MS);
    await cluster.removeFromGlobal("meshfaultinjections", "backend-delay", mesh);
    await eventually(async () => {
      const started = Date.now();
      await answer("/prompt");
      assert.ok(Date.now() - started < 600, `answered after ${Date.now() - started} ms`);
    }, PROPAGATION_MS);
  });

  test("MeshTrafficPermission: Deny from the mesh refuses client's requests; an Allow for client lets them through again", async () => {
    const permission = (from: object[]) => ({ type: "MeshTrafficPermission", mesh, name: "backend-access", spec: { targetRef: { kind: "MeshService", name: "backend" }, from } });
    await cluster.applyOnGlobal("meshtrafficpermissions", permission([{ targetRef: { kind: "Mesh" }, default: { action: "Deny" } }]));
    await eventually(async () => {
      const response = await call("/denied");
      assert.equal(response.status, 403, `${response.status} ${response.body}`);
    }, PROPAGATION_MS);
    await cluster.applyOnGlobal(
      "meshtrafficpermissions",
      permission([
        { targetRef: { kind: "Mesh" }, default: { action: "Deny" } },
        { targetRef: { kind: "MeshService", name: "client" }, default: { action: "Allow" } },
      ]),
    );
    await eventually(() => answer("/allowed"), PROPAGATION_MS);
  });

  test("MeshTrafficPermission rules by SPIFFE ID (Kuma 2.12+): a deny for client's certificate wins over every allow; an allow by prefix lets it in", async () => {
    const byIdentity = (rule: object) => ({ type: "MeshTrafficPermission", mesh, name: "backend-identities", spec: { targetRef: { kind: "Dataplane", labels: { app: "backend" } }, rules: [{ default: rule }] } });
    // The other policies allow client (allow-all, and backend-access's Allow): the SPIFFE-ID deny still refuses it.
    await cluster.applyOnGlobal("meshtrafficpermissions", byIdentity({ deny: [{ spiffeID: { type: "Exact", value: `spiffe://${mesh}/client` } }] }));
    await eventually(async () => {
      const response = await call("/denied-by-identity");
      assert.equal(response.status, 403, `${response.status} ${response.body}`);
    }, PROPAGATION_MS);
    await cluster.applyOnGlobal("meshtrafficpermissions", byIdentity({ allow: [{ spiffeID: { type: "Prefix", value: `spiffe://${mesh}/cli` } }], deny: [{ spiffeID: { type: "Exact", value: `spiffe://${mesh}/client-dns` } }] }));
    await eventually(() => answer("/allowed-by-identity"), PROPAGATION_MS);
    await cluster.removeFromGlobal("meshtrafficpermissions", "backend-identities", mesh);
  });

  test("MeshFaultInjection rules matching SPIFFE IDs (Kuma 2.13+): client's certificate picks the abort; another identity's rule leaves it alone", async () => {
    const faultFor = (spiffeID: object) => ({
      type: "MeshFaultInjection",
      mesh,
      name: "abort-by-identity",
      spec: { targetRef: { kind: "Dataplane", labels: { app: "backend" } }, rules: [{ matches: [{ spiffeID }], default: { http: [{ abort: { httpStatus: 418, percentage: 100 } }] } }] },
    });
    await cluster.applyOnGlobal("meshfaultinjections", faultFor({ type: "Exact", value: `spiffe://${mesh}/client` }));
    await eventually(async () => assert.equal((await call("/fault-by-identity")).status, 418), PROPAGATION_MS);
    await cluster.applyOnGlobal("meshfaultinjections", faultFor({ type: "Prefix", value: `spiffe://${mesh}/client-` }));
    await eventually(() => answer("/no-fault-for-client"), PROPAGATION_MS);
    await cluster.removeFromGlobal("meshfaultinjections", "abort-by-identity", mesh);
  });

  test("no dp NACKed any of the config the zone CP generated for it", async () => {
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});

/** GET `url` with its host name resolved by `resolver` (a dp's embedded DNS), as a workload using that resolver would. */
function getThroughDns(resolver: Resolver, url: string): Promise<BackendAnswer> {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolver.resolve4(hostname).then(
      (addresses) => (options.all ? callback(null, addresses.map((address) => ({ address, family: 4 }))) : callback(null, addresses[0]!, 4)),
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
  return new Promise((resolve, reject) => {
    const request = http.get(url, { lookup, agent: false, timeout: 30_000 }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? resolve(JSON.parse(body) as BackendAnswer) : reject(new Error(`${url}: ${response.statusCode} ${body}`))));
      response.on("close", () => !response.complete && reject(new Error(`${url}: the ${response.statusCode} response was cut off`)));
    });
    request.on("timeout", () => request.destroy(new Error(`${url}: no answer within 30 s`)));
    request.on("error", reject);
  });
}
