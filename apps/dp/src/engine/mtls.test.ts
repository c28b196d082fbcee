import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import tls from "node:tls";
import { after, before, describe, test } from "node:test";
import { typeNames, typed, type HttpFilter, type Secret, type SnapshotResources } from "@zonemesh/xds";
// Test-only: the transport sockets exactly as the control plane generates them.
import { freePort } from "@zonemesh/testing";
import { inboundTransportSocket, outboundTransportSocket } from "../../../cp/src/xds/generate/tls";
import { get, httpBackend, tcpEchoBackend, tcpExchange, type TestBackend } from "../testing/backends";
import { meshCa, proxyIdentity, proxySecrets } from "../testing/mesh-certificates";
import { GrpcEchoClient, grpcEchoBackend } from "../testing/grpc-echo";
import type { CertificateAuthority } from "../../../cp/src/xds/ca/index";
import { assignment, edsCluster, httpManager, listener, routeConfig, tcpProxy } from "../testing/resources";
import { TestControlPlane, TestProxy } from "../testing/test-control-plane";
import { compileTlsParams } from "./tls-context";

const mesh = "default";

/** RBAC letting `principals` in; with `shadowPrincipals`, shadow rules that would let only those in. */
function httpRbac(principals: string[], shadowPrincipals?: string[]): HttpFilter {
  const rules = (allowed: string[]) => ({ policies: { MeshTrafficPermission: { permissions: [{ any: true }], principals: allowed.map((exact) => ({ authenticated: { principal_name: { exact } } })) } } });
  return {
    name: "envoy.filters.http.rbac",
    typed_config: typed(typeNames.httpRbac, { rules: rules(principals), ...(shadowPrincipals ? { shadow_rules: rules(shadowPrincipals) } : {}) }),
  };
}

describe("two proxies with mTLS from SDS secrets", { timeout: 30_000 }, () => {
  const cp = new TestControlPlane();
  let app: TestBackend;
  let echo: TestBackend;
  let client: TestProxy;
  let server: TestProxy;
  let clientSecrets: Secret[];
  let serverSecrets: Secret[];
  let ca: CertificateAuthority;
  const ports = { inbound: 0, outbound: 0, tcpInbound: 0, tcpOutbound: 0 };

  before(async () => {
    await cp.start();
    ca = await meshCa(mesh);
    [clientSecrets, serverSecrets] = await Promise.all([proxySecrets(ca, mesh, "web"), proxySecrets(ca, mesh, "backend")]);
    app = await httpBackend("backend app");
    echo = await tcpEchoBackend("db");
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
    client = new TestProxy("default.web-1", cp.port);
    server = new TestProxy("default.backend-1", cp.port);
  });
  after(async () => {
    await Promise.all([client.stop(), server.stop()]);
    await cp.stop();
    await Promise.all([app.close(), echo.close()]);
  });

  const serverConfig = (allowed: string[], shadowAllowed?: string[]): SnapshotResources => ({
    listeners: [
      listener(`inbound:127.0.0.1:${ports.inbound}`, ports.inbound, [httpManager("inbound:backend", [httpRbac(allowed, shadowAllowed)], { forward_client_cert_details: "SANITIZE_SET", set_current_client_cert_details: { uri: true } })], inboundTransportSocket(mesh)),
      listener(`inbound:127.0.0.1:${ports.tcpInbound}`, ports.tcpInbound, [tcpProxy("db-app")], inboundTransportSocket(mesh)),
    ],
    clusters: [edsCluster("app"), edsCluster("db-app")],
    endpoints: [assignment("app", [app.port]), assignment("db-app", [echo.port])],
    routes: [routeConfig("inbound:backend", [{ match: { prefix: "/" }, route: { cluster: "app" } }])],
    secrets: serverSecrets,
  });
  const clientConfig = (expectedService: string): SnapshotResources => ({
    listeners: [
      listener(`outbound:127.0.0.1:${ports.outbound}`, ports.outbound, [httpManager("outbound:backend")]),
      listener(`outbound:127.0.0.1:${ports.tcpOutbound}`, ports.tcpOutbound, [tcpProxy("db")]),
    ],
    clusters: [edsCluster("backend", { transport_socket: outboundTransportSocket(mesh, expectedService, {}) }), edsCluster("db", { transport_socket: outboundTransportSocket(mesh, "backend", {}) })],
    endpoints: [assignment("backend", [ports.inbound]), assignment("db", [ports.tcpInbound])],
    routes: [routeConfig("outbound:backend", [{ match: { prefix: "/" }, route: { cluster: "backend" } }])],
    secrets: clientSecrets,
  });

  test("RBAC denies the caller's SPIFFE id, then allows it after a new snapshot", async () => {
    await Promise.all([cp.setAndSettle("default.backend-1", serverConfig([`spiffe://${mesh}/monitoring`])), cp.setAndSettle("default.web-1", clientConfig("backend"))]);
    const denied = await get(ports.outbound);
    assert.deepEqual([denied.status, denied.body], [403, "RBAC: access denied"]);
    assert.equal(app.requests.length, 0);

    await cp.setAndSettle("default.backend-1", serverConfig([`spiffe://${mesh}/web`]));
    const allowed = await get(ports.outbound);
    assert.deepEqual([allowed.status, allowed.body], [200, "backend app"]);
    const forwarded = String(app.requests.at(-1)?.headers["x-forwarded-client-cert"]);
    assert.match(forwarded, new RegExp(`^By=spiffe://${mesh}/backend;Hash=[0-9a-f]{64};URI=spiffe://${mesh}/web$`));
  });

  test("shadow rules (AllowWithShadowDeny) count the caller they would deny and let it in", async () => {
    const shadowDenied = () => Number(/http_rbac_shadow_denied_total\{stat_prefix="inbound:backend"\} (\d+)/.exec(server.engine.stats.prometheus())?.[1] ?? 0);
    try {
      await cp.setAndSettle("default.backend-1", serverConfig([`spiffe://${mesh}/web`], [`spiffe://${mesh}/monitoring`]));
      const before = shadowDenied();
      assert.deepEqual(await get(ports.outbound).then(({ status, body }) => [status, body]), [200, "backend app"]);
      assert.equal(shadowDenied() - before, 1);
      await cp.setAndSettle("default.backend-1", serverConfig([`spiffe://${mesh}/web`], [`spiffe://${mesh}/web`]));
      assert.equal((await get(ports.outbound)).status, 200);
      assert.equal(shadowDenied() - before, 1, "a caller the shadow rules allow is not counted");
    } finally {
      await cp.setAndSettle("default.backend-1", serverConfig([`spiffe://${mesh}/web`]));
    }
  });

  test("TCP traffic crosses the mTLS hop", async () => {
    assert.equal(await tcpExchange(ports.tcpOutbound, "ping"), "db:ping");
  });

  test("a new upstream connection resumes the endpoint's TLS session, and the server proxy's RBAC still knows the caller", async () => {
    const onlyFrom = (principal: string) => ({
      name: "envoy.filters.network.rbac",
      typed_config: typed(typeNames.networkRbac, { stat_prefix: "db", rules: { policies: { MeshTrafficPermission: { permissions: [{ any: true }], principals: [{ authenticated: { principal_name: { exact: principal } } }] } } } }),
    });
    const config = serverConfig([`spiffe://${mesh}/web`]);
    const tcpOnlyFromWeb = listener(`inbound:127.0.0.1:${ports.tcpInbound}`, ports.tcpInbound, [onlyFrom(`spiffe://${mesh}/web`), tcpProxy("db-app")], inboundTransportSocket(mesh));
    try {
      await cp.setAndSettle("default.backend-1", { ...config, listeners: [config.listeners![0]!, tcpOnlyFromWeb] });
      const resumed = () => Number(/ssl_session_reused_total\{cluster="db"\} (\d+)/.exec(client.engine.stats.prometheus())?.[1] ?? 0);
      const before = resumed();
      for (let i = 0; i < 3; i++) assert.equal(await tcpExchange(ports.tcpOutbound, `ping ${i}`), `db:ping ${i}`);
      // The RBAC only lets spiffe://default/web in: resumed connections got through, so the server proxy knew the caller.
      assert.ok(resumed() - before >= 2, `only ${resumed() - before} of 3 connections resumed a session`);
    } finally {
      await cp.setAndSettle("default.backend-1", serverConfig([`spiffe://${mesh}/web`]));
    }
  });

  test("requests on new downstream connections reuse the pooled mTLS connection and the pooled app connection", async () => {
    const inboundConnections = () => Number(new RegExp(`downstream_cx_total\\{listener="inbound:127\\.0\\.0\\.1:${ports.inbound}"\\} (\\d+)`).exec(server.engine.stats.prometheus())?.[1]);
    assert.equal((await get(ports.outbound)).body, "backend app");
    const [connectionsBefore, requestsBefore] = [inboundConnections(), app.requests.length];
    for (let i = 0; i < 5; i++) assert.equal((await get(ports.outbound)).body, "backend app");
    assert.equal(inboundConnections(), connectionsBefore, "a request opened a new mTLS connection to the server proxy");
    assert.equal(new Set(app.requests.slice(requestsBefore).map((request) => request.socket)).size, 1, "the server proxy opened more than one connection to the app");
  });

  test("request bodies cross both proxies, with content-length and chunked", async () => {
    const bodies: string[] = [];
    const echoing = await httpBackend("echoing", (request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        bodies.push(body);
        response.end(`got ${body}`);
      });
    });
    try {
      const config = serverConfig([`spiffe://${mesh}/web`]);
      await cp.setAndSettle("default.backend-1", { ...config, endpoints: [assignment("app", [echoing.port]), assignment("db-app", [echo.port])] });
      const post = (body: string, headers: Record<string, string>) =>
        new Promise<string>((resolve, reject) => {
          const request = http.request({ host: "127.0.0.1", port: ports.outbound, method: "POST", headers, agent: false }, (response) => {
            let text = "";
            response.on("data", (chunk: Buffer) => (text += chunk.toString()));
            response.on("end", () => resolve(text));
          });
          request.on("error", reject);
          if (headers["transfer-encoding"]) for (const part of body.split(" ")) request.write(part);
          request.end(headers["transfer-encoding"] ? undefined : body);
        });
      assert.equal(await post("fixed length", { "content-length": "12" }), "got fixed length");
      assert.equal(await post("in three chunks", { "transfer-encoding": "chunked" }), "got inthreechunks");
      assert.deepEqual(bodies, ["fixed length", "inthreechunks"]);
    } finally {
      await cp.setAndSettle("default.backend-1", serverConfig([`spiffe://${mesh}/web`]));
      await echoing.close();
    }
  });

  test("gRPC crosses the mTLS hop as HTTP/2, which an HTTP inbound offers by ALPN", async () => {
    const grpcBackend = await grpcEchoBackend();
    const [grpcInbound, grpcOutbound] = [await freePort(), await freePort()];
    const http2 = { typed_extension_protocol_options: { [typeNames.httpProtocolOptions]: typed(typeNames.httpProtocolOptions, { explicit_http_config: { http2_protocol_options: {} } }) } };
    const [serverBase, clientBase] = [serverConfig([`spiffe://${mesh}/web`]), clientConfig("backend")];
    const caller = new GrpcEchoClient(`127.0.0.1:${grpcOutbound}`);
    try {
      await cp.setAndSettle("default.backend-1", {
        ...serverBase,
        listeners: [...(serverBase.listeners ?? []), listener(`inbound:127.0.0.1:${grpcInbound}`, grpcInbound, [httpManager("inbound:echo-grpc", [], { forward_client_cert_details: "SANITIZE_SET", set_current_client_cert_details: { uri: true } })], inboundTransportSocket(mesh, true))],
        clusters: [...(serverBase.clusters ?? []), edsCluster("grpc-app", http2)],
        endpoints: [...(serverBase.endpoints ?? []), assignment("grpc-app", [grpcBackend.port])],
        routes: [...(serverBase.routes ?? []), routeConfig("inbound:echo-grpc", [{ match: { prefix: "/" }, route: { cluster: "grpc-app" } }])],
      });
      await cp.setAndSettle("default.web-1", {
        ...clientBase,
        listeners: [...(clientBase.listeners ?? []), listener(`outbound:127.0.0.1:${grpcOutbound}`, grpcOutbound, [httpManager("outbound:echo-grpc")])],
        clusters: [...(clientBase.clusters ?? []), edsCluster("echo-grpc", { transport_socket: outboundTransportSocket(mesh, "backend", {}), ...http2 })],
        endpoints: [...(clientBase.endpoints ?? []), assignment("echo-grpc", [grpcInbound])],
        routes: [...(clientBase.routes ?? []), routeConfig("outbound:echo-grpc", [{ match: { prefix: "/" }, route: { cluster: "echo-grpc" } }])],
      });
      assert.match(await caller.unary("hello", "web"), new RegExp(`^echo hello from web by By=spiffe://${mesh}/backend;Hash=[0-9a-f]{64};URI=spiffe://${mesh}/web$`));
      // A caller asking for h2 in the handshake gets it (the client proxy asks, as Envoy's HTTP/2 pool does).
      const socket = tls.connect({ host: "127.0.0.1", port: grpcInbound, ...(await proxyIdentity(ca, mesh, "web")), ca: ca.certPem, ALPNProtocols: ["h2"], checkServerIdentity: () => undefined });
      await once(socket, "secureConnect");
      assert.equal(socket.alpnProtocol, "h2");
      socket.destroy();
    } finally {
      caller.close();
      grpcBackend.close();
      await Promise.all([cp.setAndSettle("default.backend-1", serverBase), cp.setAndSettle("default.web-1", clientBase)]);
    }
  });

  test("the client refuses a server whose SPIFFE id is not the expected one", async () => {
    await cp.setAndSettle("default.web-1", clientConfig("payments"));
    const refused = await get(ports.outbound);
    assert.equal(refused.status, 503);
    assert.match(refused.body, /upstream connect error/);
  });

  test("the server refuses a caller without a mesh certificate", async () => {
    await assert.rejects(get(ports.inbound));
  });

  test("MeshTLS tls_params: the inbound speaks TLS 1.2 with the listed cipher only, and a TLS 1.3-only caller is refused", async () => {
    const pinned = serverConfig([`spiffe://${mesh}/web`]);
    pinned.listeners![1] = listener(`inbound:127.0.0.1:${ports.tcpInbound}`, ports.tcpInbound, [tcpProxy("db-app")], inboundTransportSocket(mesh, false, { tlsVersion: { min: "TLS12", max: "TLS12" }, tlsCiphers: ["ECDHE-ECDSA-AES256-GCM-SHA384"] }));
    await cp.setAndSettle("default.backend-1", pinned);
    const identity = await proxyIdentity(ca, mesh, "web");
    const handshake = (options: tls.ConnectionOptions) =>
      new Promise<tls.TLSSocket>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port: ports.tcpInbound, ...identity, ca: ca.certPem, checkServerIdentity: () => undefined, ...options }, () => resolve(socket));
        socket.on("error", reject);
      });
    const negotiated = await handshake({});
    assert.deepEqual([negotiated.getProtocol(), negotiated.getCipher().name], ["TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384"]);
    negotiated.destroy();
    await assert.rejects(handshake({ minVersion: "TLSv1.3" }));
    await assert.rejects(handshake({ maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256" }));
  });
});

test("tls_params outside what the proxy can offer are refused with the field", () => {
  assert.throws(() => compileTlsParams({ cipher_suites: ["ECDHE-ECDSA-AES256-GCM-SHA384", "NOT-A-CIPHER"] }, "listener x"), /listener x\.tls_params\.cipher_suites\[1\]: "NOT-A-CIPHER" is not a cipher suite/);
  assert.throws(() => compileTlsParams({ tls_minimum_protocol_version: "TLSv1_3", tls_maximum_protocol_version: "TLSv1_2" }, "listener x"), /TLSv1\.3 is newer than tls_maximum_protocol_version TLSv1\.2/);
  assert.deepEqual(compileTlsParams({ tls_minimum_protocol_version: "TLS_AUTO", tls_maximum_protocol_version: "TLSv1_3" }, "listener x"), { maxVersion: "TLSv1.3" });
});
