import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { freePort } from "@zonemesh/testing";
import type { XdsNode } from "@zonemesh/xds";
import { get, httpBackend, type TestBackend } from "./testing/backends";
import { proxyFiles, registrationApi, spawnDp, type DpProcess, type RegistrationApi } from "./testing/dp-process";
import { assignment, edsCluster, httpManager, listener, routeConfig } from "./testing/resources";
import { eventually, TestControlPlane } from "./testing/test-control-plane";

const dataplaneYaml = `type: Dataplane
mesh: default
name: web-1
networking:
  address: 127.0.0.1
  inbound:
  - port: 18080
    servicePort: 8080
    tags:
      kuma.io/service: web
`;

// The child process compiles its TypeScript (tsx) at start: seconds on a busy 2-core machine.
const startupMs = 45_000;

describe("zonemesh-dp run (real process)", { timeout: 120_000 }, () => {
  const tokens: string[] = [];
  const nodes: XdsNode[] = [];
  const cp = new TestControlPlane({
    authenticate: (node, metadata) => {
      nodes.push(node);
      tokens.push(String(metadata.get("authorization")[0]));
    },
  });
  let api: RegistrationApi;
  let app: TestBackend;
  let dp: DpProcess;
  let adminPort: number;
  let outboundPort: number;

  before(async () => {
    await cp.start();
    app = await httpBackend("backend app");
    api = await registrationApi();
    [adminPort, outboundPort] = [await freePort(), await freePort()];
    const { documentFile, tokenFile } = proxyFiles(dataplaneYaml, "the-token");
    dp = spawnDp(["run", "--cp-address", `127.0.0.1:${cp.port}`, "--cp-api-url", api.url, "--dataplane-file", documentFile, "--dataplane-token-file", tokenFile, "--admin-port", String(adminPort)]);
  });
  after(async () => {
    if (dp.child.exitCode === null) dp.child.kill("SIGKILL");
    await cp.stop();
    await app.close();
    api.close();
  });

  test("registers the Dataplane with the CP's REST API and connects to ADS with its token as node <mesh>.<name>", async () => {
    await eventually(() => assert.equal(api.registered.length, 1, dp.output()), startupMs);
    assert.equal(api.registered[0]?.request, "PUT /meshes/default/dataplanes/web-1");
    assert.deepEqual((api.registered[0]?.body as { networking: unknown }).networking, { address: "127.0.0.1", inbound: [{ port: 18080, servicePort: 8080, tags: { "kuma.io/service": "web" } }] });
    await eventually(() => assert.deepEqual(tokens.slice(0, 1), ["Bearer the-token"], dp.output()), startupMs);
  });

  test("names its version on the ADS node as kuma-dp does: user agent and metadata {kumaDp, envoy}", async () => {
    await eventually(() => assert.ok(nodes[0], dp.output()), startupMs);
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    assert.equal(nodes[0]!.userAgent, `zonemesh-dp/${version}`);
    assert.deepEqual(nodes[0]!.metadata["version"], {
      kumaDp: { version, gitTag: "unknown", gitCommit: "unknown", buildDate: "unknown" },
      envoy: { version: "built-in", build: `zonemesh-dp/${version}`, kumaDpCompatible: true },
    });
  });

  test("is ready once config arrives, serves it, and shows it in /config_dump and /stats/prometheus", async () => {
    assert.equal((await get(adminPort, "/ready")).status, 503);
    await cp.setAndSettle("default.web-1", {
      listeners: [listener(`outbound:127.0.0.1:${outboundPort}`, outboundPort, [httpManager("backend")])],
      clusters: [edsCluster("backend")],
      endpoints: [assignment("backend", [app.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "backend" } }])],
    });
    assert.equal((await get(adminPort, "/ready")).status, 200);
    assert.equal((await get(outboundPort)).body, "backend app");
    const dump = JSON.parse((await get(adminPort, "/config_dump")).body) as { node: string; listeners: { name: string }[] };
    assert.equal(dump.node, "default.web-1");
    assert.deepEqual(dump.listeners.map((l) => l.name), [`outbound:127.0.0.1:${outboundPort}`]);
    const stats = (await get(adminPort, "/stats/prometheus")).body;
    assert.match(stats, /zonemesh_dp_upstream_rq_total\{cluster="backend",code="200"\} 1/);
    assert.match(stats, /zonemesh_dp_ads_ack_total\{type_url="type.googleapis.com\/envoy.config.listener.v3.Listener"\} 1/);
  });

  test("exits cleanly on SIGTERM", async () => {
    const exited = new Promise((resolve) => dp.child.once("exit", resolve));
    dp.child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
