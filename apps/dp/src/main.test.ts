import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort, get, httpBackend, type TestBackend } from "./testing/backends";
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

describe("zonemesh-dp run (real process)", { timeout: 60_000 }, () => {
  const tokens: string[] = [];
  const cp = new TestControlPlane({ authenticate: (_node, metadata) => void tokens.push(String(metadata.get("authorization")[0])) });
  const registered: { url: string; body: unknown }[] = [];
  let api: http.Server;
  let app: TestBackend;
  let dp: ChildProcess;
  let adminPort: number;
  let outboundPort: number;
  let output = "";

  before(async () => {
    await cp.start();
    app = await httpBackend("backend app");
    api = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        registered.push({ url: `${request.method} ${request.url}`, body: JSON.parse(body) });
        response.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    [adminPort, outboundPort] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), "dp-test-"));
    writeFileSync(join(dir, "dp.yaml"), dataplaneYaml);
    writeFileSync(join(dir, "token"), "the-token\n");
    const args = ["run", "--cp-address", `127.0.0.1:${cp.port}`, "--cp-api-url", `http://127.0.0.1:${(api.address() as net.AddressInfo).port}`, "--dataplane-file", join(dir, "dp.yaml"), "--dataplane-token-file", join(dir, "token"), "--admin-port", String(adminPort)];
    // An empty PATH entry list keeps a real envoy (if one were installed) out of this test of the built-in engine.
    dp = spawn(process.execPath, [join(import.meta.dirname, "../bin/zonemesh-dp.mjs"), ...args], { env: { ...process.env, PATH: "" }, stdio: ["ignore", "ignore", "pipe"] });
    dp.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  });
  after(async () => {
    if (dp.exitCode === null) dp.kill("SIGKILL");
    await cp.stop();
    await app.close();
    api.close();
  });

  test("registers the Dataplane with the CP's REST API and connects to ADS with its token as node <mesh>.<name>", async () => {
    await eventually(() => assert.equal(registered.length, 1, output), 10_000);
    assert.equal(registered[0]?.url, "PUT /meshes/default/dataplanes/web-1");
    assert.deepEqual((registered[0]?.body as { networking: unknown }).networking, { address: "127.0.0.1", inbound: [{ port: 18080, servicePort: 8080, tags: { "kuma.io/service": "web" } }] });
    await eventually(() => assert.deepEqual(tokens.slice(0, 1), ["Bearer the-token"], output), 10_000);
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
    const exited = new Promise((resolve) => dp.once("exit", resolve));
    dp.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
