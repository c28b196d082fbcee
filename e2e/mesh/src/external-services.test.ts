// ExternalServices (services outside the mesh) on real dps without a zone egress: applied on the global, they reach
// every zone over KDS; the caller's dp resolves their hostname, applies the policies that target them by name, and
// originates TLS to them with the CA (from a mesh Secret) and client certificate they name.
import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { after, before, describe, test } from "node:test";
import { call } from "@zonemesh/cp/testing";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { get, type TestBackend } from "@zonemesh/dp/testing/backends";
import { freePort } from "@zonemesh/testing";
import { createTestCa, type TestCa, type TestCertificate } from "@zonemesh/testing/tls";
import { nacks, PROPAGATION_MS, startZoneCluster, type DataplaneProcess, type ZoneCluster } from "./harness";
import { backendAnswer, dataplaneYaml, scriptedBackend } from "./harness/workloads";

const mesh = "default";

/** An HTTPS server outside the mesh that requires a client certificate from `clients` and answers who presented it. */
async function paymentsServer(server: TestCertificate, clients: TestCa): Promise<{ port: number; close(): Promise<void> }> {
  const httpsServer = https.createServer({ cert: server.certPem, key: server.keyPem, ca: clients.certPem, requestCert: true, rejectUnauthorized: true }, (request, response) => {
    const socket = request.socket as TLSSocket;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ client: socket.getPeerCertificate().subject?.CN, sni: socket.servername }));
  });
  await new Promise<void>((resolve) => httpsServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpsServer.address() as { port: number };
  return { port, close: () => new Promise((resolve) => httpsServer.close(() => resolve())) };
}

describe("ExternalServices on real dps", { timeout: 300_000 }, () => {
  let cluster: ZoneCluster;
  let httpbin: TestBackend;
  let payments: { port: number; close(): Promise<void> };
  let paymentsCa: TestCa;
  let clientCert: TestCertificate;
  let web: DataplaneProcess;
  let toHttpbin: number;
  let toPayments: number;
  const paymentsService = (caCert: Record<string, string>) => ({
    type: "ExternalService",
    mesh,
    name: "payments",
    tags: { "kuma.io/service": "payments", "kuma.io/protocol": "http" },
    networking: {
      address: `localhost:${payments.port}`,
      tls: { enabled: true, serverName: "localhost", caCert, clientCert: { inlineString: clientCert.certPem }, clientKey: { inlineString: clientCert.keyPem } },
    },
  });

  before(async () => {
    paymentsCa = await createTestCa("payments-ca");
    const clients = await createTestCa("payments-clients");
    clientCert = await clients.issue("web.payments-clients");
    [httpbin, payments] = await Promise.all([scriptedBackend("httpbin"), paymentsCa.issue("localhost").then((server) => paymentsServer(server, clients))]);
    cluster = await startZoneCluster({ zones: ["east", "west"] });
    await cluster.applyOnGlobal("secrets", { type: "Secret", mesh, name: "payments-ca", data: Buffer.from(paymentsCa.certPem).toString("base64") });
    await cluster.applyOnGlobal("external-services", {
      type: "ExternalService",
      mesh,
      name: "httpbin",
      tags: { "kuma.io/service": "httpbin", "kuma.io/protocol": "http" },
      networking: { address: `localhost:${httpbin.port}` },
    });
    await cluster.applyOnGlobal("external-services", paymentsService({ secret: "payments-ca" }));
    [toHttpbin, toPayments] = [await freePort(), await freePort()];
    web = await cluster.startDataplane({
      zone: "east",
      dns: true,
      yaml: dataplaneYaml({
        name: "web",
        inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "web", "kuma.io/protocol": "http" } },
        outbound: [
          { port: toHttpbin, service: "httpbin" },
          { port: toPayments, service: "payments" },
        ],
        networking: { transparentProxying: { redirectPortInbound: await freePort(), redirectPortOutbound: await freePort() } },
      }),
    });
  });
  after(async () => {
    await cluster?.stop();
    await Promise.all([httpbin?.close(), payments?.close()]);
  });

  test("a plain HTTP ExternalService by hostname is reached from the dp, and a MeshTimeout targeting it by name applies", async () => {
    const answer = await eventually(() => backendAnswer(toHttpbin, "/hello"), PROPAGATION_MS);
    assert.equal(answer.name, "httpbin");
    assert.equal(answer.xfcc, undefined, "no mesh identity is forwarded outside the mesh");
    await cluster.applyOnGlobal("meshtimeouts", {
      type: "MeshTimeout",
      mesh,
      name: "httpbin-timeout",
      spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshService", name: "httpbin" }, default: { http: { requestTimeout: "300ms" } } }] },
    });
    await eventually(async () => assert.equal((await get(toHttpbin, "/delay/2000")).status, 504), PROPAGATION_MS);
  });

  test("TLS is originated by the dp: the server is verified against the CA from the mesh Secret and sees the client certificate and SNI", async () => {
    const response = await eventually(async () => {
      const answer = await get(toPayments, "/charge");
      assert.equal(answer.status, 200, answer.body);
      return answer;
    }, PROPAGATION_MS);
    assert.deepEqual(JSON.parse(response.body), { client: "web.payments-clients", sni: "localhost" });
  });

  test("a CA that did not sign the server's certificate makes the dp refuse the server (503); the other service keeps flowing; the right CA again restores it", async () => {
    const stranger = await createTestCa("stranger-ca");
    await cluster.applyOnGlobal("external-services", paymentsService({ inlineString: stranger.certPem }));
    await eventually(async () => assert.equal((await get(toPayments, "/charge")).status, 503), PROPAGATION_MS);
    assert.equal((await backendAnswer(toHttpbin, "/still")).name, "httpbin");
    await cluster.applyOnGlobal("external-services", paymentsService({ secret: "payments-ca" }));
    await eventually(async () => assert.equal((await get(toPayments, "/charge")).status, 200), PROPAGATION_MS);
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });

  test("a malformed ExternalService is refused with its fields, and the stored one is left as it was", async () => {
    const refused = await call(cluster.global.apiUrl, "PUT", `/meshes/${mesh}/external-services/payments`, {
      body: { type: "ExternalService", mesh, name: "payments", tags: { "kuma.io/protocol": "http" }, networking: { address: "localhost", tls: { enabled: true, clientCert: { inlineString: "x" } } } },
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.invalid_parameters.map((error: { field: string }) => error.field).sort(),
      ["networking.address", "networking.tls.clientKey", 'tags["kuma.io/service"]'],
    );
    const stored = await call(cluster.global.apiUrl, "GET", `/meshes/${mesh}/external-services/payments`);
    assert.equal(stored.body.networking.address, `localhost:${payments.port}`);
    assert.equal((await get(toPayments, "/charge")).status, 200);
  });

  test("an ExternalService applied on the global is reached from every zone: a dp in west calls it too", async () => {
    const fromWest = await freePort();
    await cluster.startDataplane({
      zone: "west",
      yaml: dataplaneYaml({
        name: "reports",
        inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "reports", "kuma.io/protocol": "http" } },
        outbound: [{ port: fromWest, service: "httpbin" }],
      }),
    });
    const answer = await eventually(() => backendAnswer(fromWest, "/from-west"), PROPAGATION_MS);
    assert.deepEqual([answer.name, answer.path], ["httpbin", "/from-west"]);
  });

  test("the dp's embedded DNS answers <service>.mesh of an ExternalService with its VIP", async () => {
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${web.dnsPort}`]);
    const [httpbinVip, paymentsVip] = await eventually(() => Promise.all([resolver.resolve4("httpbin.mesh"), resolver.resolve4("payments.mesh")]), PROPAGATION_MS);
    assert.equal(httpbinVip?.length, 1);
    assert.notDeepEqual(httpbinVip, paymentsVip);
  });

  test("an ExternalService whose CA Secret does not exist is left out with a warning naming the field; the others keep flowing", async () => {
    await cluster.applyOnGlobal("external-services", {
      type: "ExternalService",
      mesh,
      name: "vault",
      tags: { "kuma.io/service": "vault", "kuma.io/protocol": "http" },
      networking: { address: "localhost:8200", tls: { enabled: true, caCert: { secret: "no-such-ca" } } },
    });
    const warnings = await eventually(async () => {
      const served = await call(cluster.zones.east!.apiUrl, "GET", `/meshes/${mesh}/dataplanes/web/xds`);
      const found = (served.body.generation?.warnings ?? []).filter((warning: { policy: { name: string } }) => warning.policy.name === "vault");
      assert.equal(found.length, 1, JSON.stringify(served.body.generation));
      return found;
    }, PROPAGATION_MS);
    assert.deepEqual(warnings, [{ policy: { type: "ExternalService", mesh, name: "vault" }, reason: 'left out: networking.tls.caCert: Secret "no-such-ca" does not exist in this mesh' }]);
    assert.equal((await backendAnswer(toHttpbin, "/after-vault")).name, "httpbin");
    assert.equal((await get(toPayments, "/charge")).status, 200);
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});
