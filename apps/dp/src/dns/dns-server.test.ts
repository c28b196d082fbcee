import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import dgram from "node:dgram";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import dnsPacket from "dns-packet";
import { freePort } from "@zonemesh/testing";
import { get, httpBackend, type TestBackend } from "../testing/backends";
import { assignment, edsCluster, httpManager, routeConfig } from "../testing/resources";
import { TestControlPlane, TestProxy } from "../testing/test-control-plane";
import { startDnsServer, type DnsServer } from "./dns-server";
import { serviceVips } from "./service-vips";

const run = promisify(execFile);
const dig = async (port: number, ...args: string[]) => (await run("dig", ["@127.0.0.1", "-p", String(port), "+short", "+time=2", "+tries=1", ...args])).stdout.trim();

describe("embedded DNS with the VIPs of the outbound listeners", { timeout: 30_000 }, () => {
  const cp = new TestControlPlane();
  let proxy: TestProxy;
  let dns: DnsServer;
  let upstream: dgram.Socket;
  let app: TestBackend;
  let servicePort: number;

  before(async () => {
    await cp.start();
    app = await httpBackend("backend app");
    servicePort = await freePort();
    proxy = new TestProxy("default.web-1", cp.port);
    // A stand-in for the system resolver: answers every A question with 192.0.2.7.
    upstream = dgram.createSocket("udp4");
    upstream.on("message", (message, remote) => {
      const query = dnsPacket.decode(message);
      const name = query.questions?.[0]?.name ?? "";
      upstream.send(dnsPacket.encode({ id: query.id, type: "response", flags: dnsPacket.RECURSION_DESIRED, questions: query.questions ?? [], answers: [{ type: "A", name, ttl: 60, data: "192.0.2.7" }] }), remote.port, remote.address);
    });
    await new Promise<void>((resolve) => upstream.bind(0, "127.0.0.1", () => resolve()));
    dns = await startDnsServer({ port: await freePort(), resolve: (name) => serviceVips(proxy.engine.configDump().listeners).get(name), upstream: { host: "127.0.0.1", port: upstream.address().port } });
    await cp.setAndSettle("default.web-1", {
      listeners: [
        {
          name: `outbound:240.0.0.3:${servicePort}`,
          address: { socket_address: { address: "240.0.0.3", port_value: servicePort } },
          traffic_direction: "OUTBOUND",
          filter_chains: [{ filters: [httpManager("backend")] }],
          bind_to_port: { value: false },
        },
      ],
      clusters: [edsCluster("backend")],
      endpoints: [assignment("backend", [app.port])],
      routes: [routeConfig("backend", [{ match: { prefix: "/" }, route: { cluster: "backend" } }])],
    });
  });
  after(async () => {
    await proxy.stop();
    await cp.stop();
    await dns.close();
    upstream.close();
    await app.close();
  });

  test("dig resolves <service>.mesh over UDP and TCP to the loopback alias the VIP listener is bound on", async () => {
    assert.equal(await dig(dns.port, "backend.mesh"), "127.128.0.3");
    assert.equal(await dig(dns.port, "+tcp", "backend.mesh"), "127.128.0.3");
  });

  test("a request to the resolved address and the service port reaches the service through the proxy", async () => {
    const response = await get(servicePort, "/", {}, "127.128.0.3");
    assert.deepEqual([response.status, response.body], [200, "backend app"]);
  });

  test("an unknown service under .mesh is NXDOMAIN; other names go to the upstream resolver", async () => {
    const unknown = await run("dig", ["@127.0.0.1", "-p", String(dns.port), "+time=2", "+tries=1", "nothing.mesh"]);
    assert.match(unknown.stdout, /status: NXDOMAIN/);
    assert.equal(await dig(dns.port, "example.com"), "192.0.2.7");
    assert.equal(await dig(dns.port, "+tcp", "example.com"), "192.0.2.7");
  });
});
