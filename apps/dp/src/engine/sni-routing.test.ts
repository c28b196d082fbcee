import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import type { Listener, SnapshotResources } from "@zonemesh/xds";
import type { CertificateAuthority } from "../../../cp/src/xds/ca/index";
// Test-only: the zone ingress listener exactly as the control plane generates it.
import { freePort } from "@zonemesh/testing";
import { sniListener } from "../../../cp/src/xds/generate/ingress/sni-listener";
import { get, httpBackend, tcpEchoBackend, type TestBackend } from "../testing/backends";
import { meshCa } from "../testing/mesh-certificates";
import { meshTlsClient, meshTlsEchoBackend, meshTlsExchange, type MeshTlsBackend, type MeshTlsClient } from "../testing/mesh-tls";
import { assignment, edsCluster, httpManager, routeConfig, tcpProxy } from "../testing/resources";
import { eventually, TestControlPlane, TestProxy } from "../testing/test-control-plane";

const mesh = "default";
const sni = (service: string) => `${service}{mesh=${mesh}}`;

/** Resolves when the server closes `socket` (which sent `bytes`), with how long that took. */
function closedAfter(port: number, bytes: Buffer): Promise<{ socket: net.Socket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      if (bytes.length > 0) socket.write(bytes);
      resolve({ socket, closed: new Promise((done) => socket.once("close", () => done(Date.now() - started))) });
    });
    socket.on("error", reject);
  });
}

describe("zone ingress: SNI passthrough in the built-in engine", { timeout: 30_000 }, () => {
  const cp = new TestControlPlane();
  const node = ".zone-ingress";
  let ca: CertificateAuthority;
  let backend: MeshTlsBackend;
  let web: MeshTlsBackend;
  let client: MeshTlsClient;
  let plain: TestBackend;
  let proxy: TestProxy;
  let port: number;

  before(async () => {
    await cp.start();
    ca = await meshCa(mesh);
    [backend, web, client, plain] = await Promise.all([meshTlsEchoBackend(ca, mesh, "backend"), meshTlsEchoBackend(ca, mesh, "web"), meshTlsClient(ca, mesh, "frontend"), httpBackend("plain http")]);
    port = await freePort();
    proxy = new TestProxy(node, cp.port);
  });
  after(async () => {
    await proxy.stop();
    await cp.stop();
    await Promise.all([backend.close(), web.close(), plain.close()]);
  });

  const ingress = (extra: Partial<Listener> = {}): SnapshotResources => ({
    listeners: [
      {
        ...sniListener("127.0.0.1", port, [
          { sni: sni("backend"), cluster: `${mesh}:backend` },
          { sni: sni("web"), cluster: `${mesh}:web` },
        ]),
        ...extra,
      },
    ],
    clusters: [edsCluster(`${mesh}:backend`), edsCluster(`${mesh}:web`), edsCluster("plain")],
    endpoints: [assignment(`${mesh}:backend`, [backend.port]), assignment(`${mesh}:web`, [web.port]), assignment("plain", [plain.port])],
    routes: [routeConfig("plain", [{ match: { prefix: "/" }, route: { cluster: "plain" } }])],
  });
  const stat = async (name: string) => Number(new RegExp(`zonemesh_dp_${name}\\{listener="inbound:127.0.0.1:${port}"\\} (\\d+)`).exec(proxy.engine.stats.prometheus())?.[1] ?? 0);

  test("a TLS connection reaches the backend its SNI names, with the mTLS handshake end to end between client and backend", async () => {
    await cp.setAndSettle(node, ingress());
    const toBackend = await meshTlsExchange(port, client, sni("backend"), { mesh, service: "backend" }, "hello");
    assert.deepEqual(toBackend, { answer: "backend:hello", serverFingerprint: backend.fingerprint });
    const toWeb = await meshTlsExchange(port, client, sni("web"), { mesh, service: "web" }, "hi");
    assert.deepEqual(toWeb, { answer: "web:hi", serverFingerprint: web.fingerprint });
    // The backends verified the caller's own certificate: the ingress passed the handshake through untouched.
    assert.deepEqual([backend.peers, web.peers], [[`spiffe://${mesh}/frontend`], [`spiffe://${mesh}/frontend`]]);
  });

  test("an unknown SNI and a plain-text connection match no chain: closed and counted", async () => {
    const before = await stat("no_filter_chain_match_total");
    await assert.rejects(meshTlsExchange(port, client, sni("payments"), { mesh, service: "payments" }, "x"));
    const { closed } = await closedAfter(port, Buffer.from("GET / HTTP/1.1\r\n\r\n"));
    await closed;
    assert.equal(await stat("no_filter_chain_match_total"), before + 2);
  });

  test("a connection that sends nothing, or half a ClientHello, is closed at listener_filters_timeout without holding up others", async () => {
    await cp.setAndSettle(node, ingress({ listener_filters_timeout: { nanos: 400_000_000 } }));
    const before = await stat("downstream_pre_cx_timeout_total");
    const silent = await closedAfter(port, Buffer.alloc(0));
    const half = await closedAfter(port, Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    // Served while both are still waiting.
    assert.equal((await meshTlsExchange(port, client, sni("web"), { mesh, service: "web" }, "meanwhile")).answer, "web:meanwhile");
    assert.equal(silent.socket.destroyed || half.socket.destroyed, false);
    for (const elapsed of await Promise.all([silent.closed, half.closed])) assert.ok(elapsed >= 350 && elapsed < 5_000, `closed after ${elapsed} ms`);
    assert.equal(await stat("downstream_pre_cx_timeout_total"), before + 2);
  });

  test("with continue_on_listener_filters_timeout a silent connection goes on, as raw_buffer, to the default_filter_chain; an oversized ClientHello is closed", async () => {
    const echo = await tcpEchoBackend("plain");
    try {
      await cp.setAndSettle(node, {
        ...ingress({ listener_filters_timeout: { nanos: 200_000_000 }, continue_on_listener_filters_timeout: true, default_filter_chain: { filters: [tcpProxy("echo")] } }),
        clusters: [edsCluster(`${mesh}:backend`), edsCluster(`${mesh}:web`), edsCluster("echo")],
        endpoints: [assignment(`${mesh}:backend`, [backend.port]), assignment(`${mesh}:web`, [web.port]), assignment("echo", [echo.port])],
      });
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port }, () => setTimeout(() => socket.write("late"), 400));
        socket.once("data", (chunk) => resolve(chunk.toString()));
        socket.on("error", reject);
      });
      assert.equal(answer, "plain:late");
      const before = await stat("tls_inspector_client_hello_too_large_total");
      const tooLarge = 70_000;
      const { closed } = await closedAfter(port, Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, tooLarge >> 16, (tooLarge >> 8) & 0xff, tooLarge & 0xff]));
      // Closed, not passed on to the default chain at the timeout (the echo server would keep it open).
      await closed;
      assert.equal(await stat("tls_inspector_client_hello_too_large_total"), before + 1);
    } finally {
      await echo.close();
    }
  });

  test("a connection without SNI goes to the default_filter_chain, which may be HTTP over the bytes the inspector read", async () => {
    await cp.setAndSettle(node, ingress({ default_filter_chain: { filters: [httpManager("plain")] } }));
    assert.equal((await get(port)).body, "plain http");
    assert.equal((await meshTlsExchange(port, client, sni("backend"), { mesh, service: "backend" }, "still")).answer, "backend:still");
  });

  test("a filter_chain_match field the engine does not implement is NACKed with its path", async () => {
    const listener = ingress().listeners?.[0] as Listener;
    const chains = (listener.filter_chains ?? []).map((chain, index) => (index === 1 ? { ...chain, filter_chain_match: { ...chain.filter_chain_match, source_prefix_ranges: [{ address_prefix: "10.0.0.0", prefix_len: { value: 8 } }] } } : chain));
    cp.set(node, { ...ingress(), listeners: [{ ...listener, filter_chains: chains }] });
    const nack = await eventually(() => {
      const event = proxy.events.findLast((candidate) => candidate.kind === "nack");
      assert.ok(event && event.kind === "nack", "no NACK yet");
      return event;
    });
    assert.match(nack.error, /filter_chains\[1\]\.filter_chain_match\.source_prefix_ranges is not supported/);
    assert.equal((await meshTlsExchange(port, client, sni("web"), { mesh, service: "web" }, "last good")).answer, "web:last good");
  });
});
