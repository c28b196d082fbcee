import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
// Test-only: the transport sockets and the ingress listener exactly as the control plane generates them.
import { freePort } from "@zonemesh/testing";
import { sniListener } from "../../../cp/src/xds/generate/ingress/sni-listener";
import { inboundTransportSocket, outboundTransportSocket } from "../../../cp/src/xds/generate/tls";
import { get, httpBackend, type TestBackend } from "../testing/backends";
import { meshCa, proxySecrets } from "../testing/mesh-certificates";
import { assignment, edsCluster, httpManager, listener, routeConfig } from "../testing/resources";
import { TestControlPlane, TestProxy } from "../testing/test-control-plane";

const mesh = "default";

describe("cross-zone request: client proxy -> zone ingress -> destination proxy, three engines", { timeout: 30_000 }, () => {
  const cp = new TestControlPlane();
  let app: TestBackend;
  const proxies: TestProxy[] = [];
  const ports = { outbound: 0, ingress: 0, inbound: 0 };

  before(async () => {
    await cp.start();
    app = await httpBackend("backend in west");
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
    const ca = await meshCa(mesh);
    const [webSecrets, backendSecrets] = await Promise.all([proxySecrets(ca, mesh, "web"), proxySecrets(ca, mesh, "backend")]);
    proxies.push(new TestProxy("default.web-1", cp.port), new TestProxy(".ingress-west", cp.port), new TestProxy("default.backend-1", cp.port));
    await Promise.all([
      // east: the caller's outbound goes to west's ingress, with the SNI of backend.
      cp.setAndSettle("default.web-1", {
        listeners: [listener(`outbound:127.0.0.1:${ports.outbound}`, ports.outbound, [httpManager("outbound:backend")])],
        clusters: [edsCluster("backend", { transport_socket: outboundTransportSocket(mesh, "backend", {}) })],
        endpoints: [assignment("backend", [ports.ingress])],
        routes: [routeConfig("outbound:backend", [{ match: { prefix: "/" }, route: { cluster: "backend" } }])],
        secrets: webSecrets,
      }),
      // west's ingress: no certificate at all.
      cp.setAndSettle(".ingress-west", {
        listeners: [sniListener("127.0.0.1", ports.ingress, [{ sni: `backend{mesh=${mesh}}`, cluster: `${mesh}:backend` }])],
        clusters: [edsCluster(`${mesh}:backend`)],
        endpoints: [assignment(`${mesh}:backend`, [ports.inbound])],
      }),
      cp.setAndSettle("default.backend-1", {
        listeners: [listener(`inbound:127.0.0.1:${ports.inbound}`, ports.inbound, [httpManager("inbound:backend", [], { forward_client_cert_details: "SANITIZE_SET", set_current_client_cert_details: { uri: true } })], inboundTransportSocket(mesh))],
        clusters: [edsCluster("localhost:8080")],
        endpoints: [assignment("localhost:8080", [app.port])],
        routes: [routeConfig("inbound:backend", [{ match: { prefix: "/" }, route: { cluster: "localhost:8080" } }])],
        secrets: backendSecrets,
      }),
    ]);
  });
  after(async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await cp.stop();
    await app.close();
  });

  test("the request arrives with the caller's identity verified by the destination proxy, through the ingress", async () => {
    const response = await get(ports.outbound);
    assert.deepEqual([response.status, response.body], [200, "backend in west"]);
    // The destination proxy terminated the mTLS session and saw web's certificate: the ingress did not terminate it.
    assert.match(String(app.requests.at(-1)?.headers["x-forwarded-client-cert"]), new RegExp(`^By=spiffe://${mesh}/backend;Hash=[0-9a-f]{64};URI=spiffe://${mesh}/web$`));
    assert.match(proxies[1]?.engine.stats.prometheus() ?? "", /zonemesh_dp_tcp_upstream_cx_total\{stat_prefix="default:backend",cluster="default:backend"\} 1/);
  });
});
