import assert from "node:assert/strict";
import https from "node:https";
import type net from "node:net";
import type tls from "node:tls";
import { before, describe, test } from "node:test";
import { typeNames, typed, type Cluster, type CommonTlsContext, type SnapshotResources, type TransportSocket } from "@zonemesh/xds";
import { createTestCa, type TestCa, type TestCertificate } from "@zonemesh/testing/tls";
import { get, tcpEchoBackend, tcpExchange } from "../testing/backends";
import { EngineUnderTest } from "../testing/engine-under-test";
import { dnsCluster, httpManager, listener, routeConfig, tcpProxy } from "../testing/resources";
import { eventually } from "../testing/test-control-plane";
import { ClusterRuntime } from "./cluster";
import { Stats } from "./stats";

const base64 = (pem: string) => Buffer.from(pem).toString("base64");

/**
 * The transport socket of Kuma's UpstreamTlsContextOutsideMesh: an inline client certificate if any, and with a CA
 * the server verified against it and required to have the SAN `hostname`.
 */
function outsideMeshTls(options: { ca?: string; hostname?: string; client?: TestCertificate; allowRenegotiation?: boolean }): TransportSocket {
  const common: CommonTlsContext = {
    ...(options.client ? { tls_certificates: [{ certificate_chain: { inline_bytes: base64(options.client.certPem) }, private_key: { inline_string: options.client.keyPem } }] } : {}),
    ...(options.ca ? { validation_context: { trusted_ca: { inline_bytes: base64(options.ca) }, match_subject_alt_names: options.hostname ? [{ exact: options.hostname }] : [] } } : {}),
  };
  const context = { ...(Object.keys(common).length > 0 ? { common_tls_context: common } : {}), sni: "localhost", ...(options.allowRenegotiation ? { allow_renegotiation: true } : {}) };
  return { name: "envoy.transport_sockets.tls", typed_config: typed(typeNames.upstreamTlsContext, context) };
}

/** An HTTPS server answering with the client certificate it verified (when `clientCa` makes it ask for one). */
async function httpsBackend(identity: TestCertificate, clientCa?: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer({ cert: identity.certPem, key: identity.keyPem, ...(clientCa ? { ca: clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, (request, response) => {
    const peer = (request.socket as tls.TLSSocket).getPeerCertificate();
    response.end(peer.subject ? `hello ${peer.subject.CN} (${peer.subjectaltname})` : "hello anonymous");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe("clusters of services outside the mesh: STRICT_DNS endpoints and TLS origination", { timeout: 30_000 }, () => {
  const engine = new EngineUnderTest();
  let ca: TestCa;
  let otherCa: TestCa;
  let server: TestCertificate;
  before(async () => {
    [ca, otherCa] = await Promise.all([createTestCa("external"), createTestCa("other")]);
    server = await ca.issue("localhost");
  });
  const through = (cluster: Cluster): SnapshotResources => ({
    listeners: [listener("outbound:external", engine.port, [httpManager("external")])],
    clusters: [cluster],
    routes: [routeConfig("external", [{ match: { prefix: "/" }, route: { cluster: cluster.name } }])],
  });
  const call = async (cluster: Cluster) => {
    await engine.applied(through(cluster));
    const { status, body } = await get(engine.port);
    return [status, body];
  };
  const httpsServer = async (identity: TestCertificate, clientCa?: string) => {
    const started = await httpsBackend(identity, clientCa);
    engine.backends.push({ ...started, requests: [] });
    return started;
  };

  test("an HTTP request reaches a plain HTTP server at a hostname", async () => {
    const app = await engine.httpBackend("outside");
    assert.deepEqual(await call(dnsCluster("external", "localhost", app.port)), [200, "outside"]);
  });

  test("a TCP proxy reaches a TCP server at a hostname", async () => {
    const echo = await tcpEchoBackend("outside");
    engine.backends.push(echo);
    await engine.applied({ listeners: [listener("outbound:external", engine.port, [tcpProxy("external")])], clusters: [dnsCluster("external", "localhost", echo.port)] });
    assert.equal(await tcpExchange(engine.port, "ping"), "outside:ping");
  });

  test("TLS origination verifies the server against the trusted CA and the SAN matcher", async () => {
    const app = await httpsServer(server);
    assert.deepEqual(await call(dnsCluster("external", "localhost", app.port, { transport_socket: outsideMeshTls({ ca: ca.certPem, hostname: "localhost", allowRenegotiation: true }) })), [200, "hello anonymous"]);
  });

  test("a server certificate from another CA, or without the expected SAN, is refused", async () => {
    const app = await httpsServer(server);
    for (const tlsOptions of [{ ca: otherCa.certPem, hostname: "localhost" }, { ca: ca.certPem, hostname: "httpbin.org" }]) {
      const [status, body] = await call(dnsCluster("external", "localhost", app.port, { transport_socket: outsideMeshTls(tlsOptions) }));
      assert.equal(status, 503);
      assert.match(String(body), /upstream connect error/);
    }
  });

  test("a server that requires a client certificate gets the inline one, whose key the config dump hides", async () => {
    const app = await httpsServer(server, ca.certPem);
    const client = await ca.issue("web.example");
    const tlsOptions = { ca: ca.certPem, hostname: "localhost", client };
    assert.deepEqual(await call(dnsCluster("external", "localhost", app.port, { transport_socket: outsideMeshTls(tlsOptions) })), [200, "hello web.example (DNS:web.example)"]);
    const dumped = JSON.stringify(engine.proxy.engine.configDump().clusters);
    assert.ok(!dumped.includes(client.keyPem.split("\n")[1] as string) && dumped.includes("[redacted]"), "the config dump shows the client certificate's private key");
    const [status] = await call(dnsCluster("external", "localhost", app.port, { transport_socket: outsideMeshTls({ ca: ca.certPem, hostname: "localhost" }) }));
    assert.equal(status, 503, "the server let in a client without a certificate");
  });

  test("without a validation_context the server is not verified: a self-signed one is reached", async () => {
    const app = await httpsServer(await createTestCa("self-signed"));
    assert.deepEqual(await call(dnsCluster("external", "localhost", app.port, { transport_socket: outsideMeshTls({}) })), [200, "hello anonymous"]);
  });

  test("a hostname that does not resolve answers 503 and counts the failure; the engine keeps serving", async () => {
    const [status, body] = await call(dnsCluster("external", "nonexistent.invalid", 443));
    assert.deepEqual([status, body], [503, "no healthy upstream"]);
    await eventually(() => assert.match(engine.proxy.engine.stats.prometheus(), /zonemesh_dp_update_failure_total\{cluster="external"\} [1-9]/));
    const app = await engine.httpBackend("still serving");
    assert.deepEqual(await call(dnsCluster("external", "localhost", app.port)), [200, "still serving"]);
  });

  test("malformed inline TLS material is NACKed with the field", async () => {
    const client = await ca.issue("web.example");
    const good = dnsCluster("external", "localhost", 443);
    const nackFor = async (transportSocket: TransportSocket) => {
      const seen = engine.proxy.events.length;
      await engine.applied(through({ ...good, transport_socket: transportSocket }));
      const nack = engine.proxy.events.slice(seen).findLast((event) => event.kind === "nack");
      assert.ok(nack && nack.kind === "nack", "the cluster was accepted");
      return nack.error;
    };
    const pair = { certificate_chain: { inline_bytes: base64(client.certPem) }, private_key: { inline_bytes: base64(client.keyPem) } };
    const twoCertificates = typed(typeNames.upstreamTlsContext, { common_tls_context: { tls_certificates: [pair, pair] } });
    assert.match(await nackFor({ name: "envoy.transport_sockets.tls", typed_config: twoCertificates }), /transport_socket\.common_tls_context\.tls_certificates: at most one certificate is supported/);
    const noKey = typed(typeNames.upstreamTlsContext, { common_tls_context: { tls_certificates: [{ certificate_chain: pair.certificate_chain }] } });
    assert.match(await nackFor({ name: "envoy.transport_sockets.tls", typed_config: noKey }), /tls_certificates\[0\]\.private_key has no inline data/);
    const fromFile = typed(typeNames.upstreamTlsContext, { common_tls_context: { validation_context: { trusted_ca: { filename: "/etc/ssl/certs/ca-certificates.crt" } } } });
    assert.match(await nackFor({ name: "envoy.transport_sockets.tls", typed_config: fromFile }), /validation_context\.trusted_ca\.filename is not supported/);
  });
});

test("a request before a DNS cluster's first resolution waits for it", async () => {
  const stats = new Stats();
  const cluster = new ClusterRuntime(dnsCluster("external", "localhost", 8080), () => ({ clusters: new Map(), endpoints: new Map(), routes: new Map(), secrets: new Map(), stats }));
  try {
    assert.equal(cluster.pick(), undefined);
    await cluster.firstResolution();
    assert.equal(cluster.firstResolution(), undefined);
    assert.deepEqual([cluster.pick()?.host, cluster.pick()?.port], ["127.0.0.1", 8080]);
  } finally {
    cluster.close();
  }
});
