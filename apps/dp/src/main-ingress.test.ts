import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CertificateAuthority } from "../../cp/src/xds/ca/index";
// Test-only: the zone CP's own (pure) zone ingress generator, so the process is driven by what the CP would send.
import { freePort } from "@zonemesh/testing";
import { generateIngressResources } from "../../cp/src/xds/generate/ingress/generate-ingress";
import type { DataplaneResource } from "../../cp/src/xds/generate/input";
import { get } from "./testing/backends";
import { proxyFiles, registrationApi, spawnDp, type DpProcess, type RegistrationApi } from "./testing/dp-process";
import { meshCa } from "./testing/mesh-certificates";
import { meshTlsClient, meshTlsEchoBackend, meshTlsExchange, type MeshTlsBackend, type MeshTlsClient } from "./testing/mesh-tls";
import { eventually, TestControlPlane } from "./testing/test-control-plane";

const mesh = "default";
const zone = "west";

const ingressYaml = (port: number) => `type: ZoneIngress
name: ingress-1
networking:
  address: 127.0.0.1
  port: ${port}
  advertisedAddress: 127.0.0.1
  advertisedPort: ${port}
`;

/** A destination proxy of the zone: its inbound listener (here the mesh TLS backend) is what the ingress forwards to. */
const dataplane = (service: string, inboundPort: number): DataplaneResource => ({
  type: "Dataplane",
  mesh,
  name: `${service}-1`,
  labels: { "kuma.io/zone": zone },
  body: { networking: { address: "127.0.0.1", inbound: [{ port: inboundPort, servicePort: inboundPort + 1, tags: { "kuma.io/service": service, "kuma.io/protocol": "tcp" } }] } },
});

// The child process compiles its TypeScript (tsx) at start: seconds on a busy 2-core machine.
const startupMs = 45_000;

describe("zonemesh-dp run --proxy-type ingress (real process)", { timeout: 120_000 }, () => {
  const streams: { node: string; authorization: string }[] = [];
  const cp = new TestControlPlane({ authenticate: (node, metadata) => void streams.push({ node: node.id, authorization: String(metadata.get("authorization")[0]) }) });
  let api: RegistrationApi;
  let ca: CertificateAuthority;
  let backend: MeshTlsBackend;
  let web: MeshTlsBackend;
  let client: MeshTlsClient;
  let dp: DpProcess;
  let ingressPort: number;
  let adminPort: number;

  before(async () => {
    await cp.start();
    api = await registrationApi();
    ca = await meshCa(mesh);
    [backend, web, client] = await Promise.all([meshTlsEchoBackend(ca, mesh, "backend"), meshTlsEchoBackend(ca, mesh, "web"), meshTlsClient(ca, mesh, "frontend")]);
    [ingressPort, adminPort] = [await freePort(), await freePort()];
    const { documentFile, tokenFile } = proxyFiles(ingressYaml(ingressPort), "the-ingress-token");
    dp = spawnDp(["run", "--proxy-type", "ingress", "--cp-address", `127.0.0.1:${cp.port}`, "--cp-api-url", api.url, "--dataplane-file", documentFile, "--dataplane-token-file", tokenFile, "--admin-port", String(adminPort)]);
  });
  after(async () => {
    if (dp.child.exitCode === null) dp.child.kill("SIGKILL");
    await cp.stop();
    api.close();
    await Promise.all([backend.close(), web.close()]);
  });

  test("registers the ZoneIngress at PUT /zoneingresses/<name> and connects to ADS as .<name> with its ingress token", async () => {
    await eventually(() => assert.equal(api.registered.length, 1, dp.output()), startupMs);
    assert.deepEqual(api.registered[0], {
      request: "PUT /zoneingresses/ingress-1",
      body: { type: "ZoneIngress", name: "ingress-1", labels: {}, networking: { address: "127.0.0.1", port: ingressPort, advertisedAddress: "127.0.0.1", advertisedPort: ingressPort } },
    });
    await eventually(() => assert.deepEqual(streams.slice(0, 1), [{ node: ".ingress-1", authorization: "Bearer the-ingress-token" }], dp.output()), startupMs);
  });

  test("applies the CP's ingress snapshot and routes real TLS connections by SNI, the mTLS end to end", async () => {
    const { availableServices, ...resources } = generateIngressResources({
      ingress: { name: "ingress-1", body: { networking: { address: "127.0.0.1", port: ingressPort } } },
      meshes: [{ name: mesh, body: { mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } } }],
      dataplanes: [dataplane("backend", backend.port), dataplane("web", web.port)],
      localZone: zone,
    });
    assert.deepEqual(availableServices.map((available) => available.tags["kuma.io/service"]), ["backend", "web"]);
    await cp.setAndSettle(".ingress-1", resources);
    assert.equal((await get(adminPort, "/ready")).status, 200);
    assert.deepEqual(await meshTlsExchange(ingressPort, client, `backend{mesh=${mesh}}`, { mesh, service: "backend" }, "one"), { answer: "backend:one", serverFingerprint: backend.fingerprint });
    assert.deepEqual(await meshTlsExchange(ingressPort, client, `web{mesh=${mesh}}`, { mesh, service: "web" }, "two"), { answer: "web:two", serverFingerprint: web.fingerprint });
    assert.deepEqual(backend.peers, [`spiffe://${mesh}/frontend`]);
    await assert.rejects(meshTlsExchange(ingressPort, client, `payments{mesh=${mesh}}`, { mesh, service: "payments" }, "three"));
    const stats = (await get(adminPort, "/stats/prometheus")).body;
    assert.match(stats, new RegExp(`zonemesh_dp_no_filter_chain_match_total\\{listener="inbound:127.0.0.1:${ingressPort}"\\} 1`));
    assert.match(stats, /zonemesh_dp_tcp_upstream_cx_total\{stat_prefix="default:backend",cluster="default:backend"\} 1/);
  });

  test("runs no DNS server and exits cleanly on SIGTERM", async () => {
    assert.match(dp.output(), /built-in engine for zone ingress \.ingress-1: admin on 127\.0\.0\.1:\d+\n/);
    const exited = new Promise((resolve) => dp.child.once("exit", resolve));
    dp.child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
