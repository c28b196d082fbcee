// Real traffic across zones: backend and echo run only in west, client in east. A request leaves the client dp with
// mTLS and the SNI `<service>{mesh=default}`, west's zone ingress forwards the TLS bytes by that SNI (without
// terminating them) to the backend dp, which verifies the client's certificate.
import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import { after, before, describe, test } from "node:test";
import { call as apiCall } from "@zonemesh/cp/testing";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { bindAddress } from "@zonemesh/dp/engine/listener-address";
import { get, tcpEchoBackend, tcpExchange, type TestBackend } from "@zonemesh/dp/testing/backends";
import { freePort } from "@zonemesh/testing";
import { allowAll, PROPAGATION_MS, startZoneCluster, type DataplaneProcess, type ZoneCluster } from "./harness";
import { backendAnswer, dataplaneYaml, scriptedBackend } from "./harness/workloads";
import { startZoneIngress, type ZoneIngress } from "./harness/zone-ingress";

const mesh = "default";

/** The value of a counter in Prometheus text, 0 when absent. */
const counter = (stats: string, name: string, labels: Record<string, string>) => {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = stats.split("\n").find((candidate) => candidate.startsWith(`zonemesh_dp_${name}{`) && wanted.every((label) => candidate.includes(label)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
};

describe("cross-zone traffic (global, zones east and west with an ingress each, dps with mTLS)", { timeout: 600_000 }, () => {
  let cluster: ZoneCluster;
  let v1: TestBackend;
  let v2: TestBackend;
  let echo: TestBackend;
  let westIngress: ZoneIngress;
  let client: DataplaneProcess;
  let outbound: number;
  let echoOutbound: number;
  const answer = (path: string) => backendAnswer(outbound, path);

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east", "west"] });
    await cluster.applyOnGlobal("meshtrafficpermissions", allowAll(mesh));
    [v1, v2, echo] = await Promise.all([scriptedBackend("backend-v1"), scriptedBackend("backend-v2"), tcpEchoBackend("echo")]);
    [outbound, echoOutbound] = [await freePort(), await freePort()];
    const inbound = async (name: string, servicePort: number, tags: Record<string, string>) => dataplaneYaml({ name, inbound: { port: await freePort(), servicePort, tags } });
    [westIngress] = await Promise.all([
      startZoneIngress(cluster, "west"),
      startZoneIngress(cluster, "east"),
      cluster.startDataplane({ zone: "west", yaml: await inbound("backend-v1", v1.port, { "kuma.io/service": "backend", "kuma.io/protocol": "http", version: "v1" }) }),
      cluster.startDataplane({ zone: "west", yaml: await inbound("backend-v2", v2.port, { "kuma.io/service": "backend", "kuma.io/protocol": "http", version: "v2" }) }),
      cluster.startDataplane({ zone: "west", yaml: await inbound("echo", echo.port, { "kuma.io/service": "echo", "kuma.io/protocol": "tcp" }) }),
      cluster.startDataplane({
        zone: "east",
        dns: true,
        yaml: dataplaneYaml({
          name: "client",
          inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "client", "kuma.io/protocol": "http" } },
          outbound: [
            { port: outbound, service: "backend" },
            { port: echoOutbound, service: "echo" },
          ],
          // Transparent proxying gives it a listener on backend's VIP, which its embedded DNS answers with.
          networking: { transparentProxying: { redirectPortInbound: await freePort(), redirectPortOutbound: await freePort(), reachableServices: ["backend", "echo"] } },
        }),
      }).then((dp) => (client = dp)),
    ]);
  });
  after(async () => {
    await cluster?.stop();
    await Promise.all([v1?.close(), v2?.close(), echo?.close()]);
  });

  test("HTTP: client in east reaches backend in west through west's ingress, mTLS end to end (backend sees spiffe://default/client)", async () => {
    const seen = await eventually(() => answer("/cross-zone"), PROPAGATION_MS);
    assert.match(seen.name, /^backend-v[12]$/);
    assert.match(seen.xfcc ?? "", new RegExp(`URI=spiffe://${mesh}/client(;|,|$)`));
    assert.match(seen.xfcc ?? "", new RegExp(`By=spiffe://${mesh}/backend(;|,|$)`));
    // The client's only endpoint of backend is west's ingress, reached with the SNI the ingress routes by.
    const dump = await client.configDump();
    const assignment = dump.endpoints.find((candidate: { cluster_name: string }) => candidate.cluster_name === "backend");
    const addresses = assignment.endpoints.flatMap((locality: any) => locality.lb_endpoints.map((lb: any) => lb.endpoint.address.socket_address));
    assert.deepEqual(addresses.map((address: any) => `${address.address}:${address.port_value}`), [`127.0.0.1:${westIngress.port}`]);
    assert.match(JSON.stringify(dump.clusters.find((candidate: { name: string }) => candidate.name === "backend")), /"sni":"backend\{mesh=default\}"/);
    // West's ingress saw the connection on its SNI chain and forwarded it to its local backend cluster.
    assert.ok(counter(await westIngress.dp.stats(), "tcp_upstream_cx_total", { cluster: `${mesh}:backend` }) >= 1, await westIngress.dp.stats());
  });

  test("TCP: each connection to echo goes through west's ingress (one upstream connection there per exchange)", async () => {
    assert.equal(await eventually(() => tcpExchange(echoOutbound, "ping"), PROPAGATION_MS), "echo:ping");
    const before = counter(await westIngress.dp.stats(), "tcp_upstream_cx_total", { cluster: `${mesh}:echo` });
    assert.equal(await tcpExchange(echoOutbound, "pong"), "echo:pong");
    assert.equal(counter(await westIngress.dp.stats(), "tcp_upstream_cx_total", { cluster: `${mesh}:echo` }), before + 1);
  });

  test("MeshHTTPRoute to a subset in the other zone: its own SNI backend{mesh=default,version=v2}, its own chain at west's ingress", async () => {
    await cluster.applyOnGlobal("meshhttproutes", {
      type: "MeshHTTPRoute",
      mesh,
      name: "backend-v2-path",
      spec: {
        targetRef: { kind: "MeshService", name: "client" },
        to: [
          {
            targetRef: { kind: "MeshService", name: "backend" },
            rules: [{ matches: [{ path: { type: "PathPrefix", value: "/v2" } }], default: { backendRefs: [{ kind: "MeshServiceSubset", name: "backend", tags: { version: "v2" } }] } }],
          },
        ],
      },
    });
    await eventually(async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => answer("/v2/subset")));
      assert.deepEqual([...new Set(answers.map((seen) => seen.name))], ["backend-v2"]);
    }, PROPAGATION_MS);
    assert.ok(counter(await westIngress.dp.stats(), "tcp_upstream_cx_total", { cluster: `${mesh}:backend{version=v2}` }) >= 1, await westIngress.dp.stats());
  });

  test("MeshLoadBalancingStrategy crossZone failover: rules that leave west out make backend (only in west) unreachable from east; a rule naming west brings it back", async () => {
    const failover = (zones: string[]) => ({
      type: "MeshLoadBalancingStrategy",
      mesh,
      name: "backend-failover",
      spec: { targetRef: { kind: "MeshService", name: "client" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { localityAwareness: { crossZone: { failover: [{ to: { type: "Only", zones } }] } } } }] },
    });
    try {
      await cluster.applyOnGlobal("meshloadbalancingstrategies", failover(["north"]));
      await eventually(async () => {
        const response = await get(outbound, "/failover");
        assert.deepEqual([response.status, response.body], [503, "no healthy upstream"]);
      }, PROPAGATION_MS);
      await cluster.applyOnGlobal("meshloadbalancingstrategies", failover(["north", "west"]));
      await eventually(() => answer("/failover"), PROPAGATION_MS);
    } finally {
      await cluster.removeFromGlobal("meshloadbalancingstrategies", "backend-failover", mesh);
    }
  });

  test("MeshTrafficPermission across zones: a Deny for client on backend refuses the request at west's backend dp, an Allow lets it through", async () => {
    const permission = (action: string) => ({
      type: "MeshTrafficPermission",
      mesh,
      name: "backend-from-client",
      spec: { targetRef: { kind: "MeshService", name: "backend" }, from: [{ targetRef: { kind: "MeshService", name: "client" }, default: { action } }] },
    });
    await cluster.applyOnGlobal("meshtrafficpermissions", permission("Deny"));
    await eventually(async () => {
      const response = await get(outbound, "/denied");
      assert.equal(response.status, 403, `${response.status} ${response.body}`);
    }, PROPAGATION_MS);
    await cluster.applyOnGlobal("meshtrafficpermissions", permission("Allow"));
    await eventually(() => answer("/allowed"), PROPAGATION_MS);
  });

  test("the global shows west's ingress online (ZoneIngressInsight) with backend (v1, v2) and echo in availableServices", async () => {
    await eventually(async () => {
      const response = await apiCall(cluster.global.apiUrl, "GET", "/zoneingresses+insights");
      assert.equal(response.status, 200);
      const overview = response.body.items.find((item: any) => item.labels["kuma.io/zone"] === "west");
      assert.ok(overview, JSON.stringify(response.body.items));
      // One entry per tag combination: backend's v1 and v2, echo.
      const available = overview.zoneIngress.availableServices.map((entry: { tags: Record<string, string>; instances: number }) => `${entry.tags["kuma.io/service"]}${entry.tags.version ? `/${entry.tags.version}` : ""}:${entry.instances}`);
      assert.deepEqual(available.sort(), ["backend/v1:1", "backend/v2:1", "echo:1"]);
      const subscriptions = overview.zoneIngressInsight.subscriptions ?? [];
      const last = subscriptions.at(-1);
      assert.ok(last?.connectTime && !last.disconnectTime, `not online: ${JSON.stringify(subscriptions)}`);
    }, PROPAGATION_MS);
  });

  test("embedded DNS of the east client resolves backend.mesh to a VIP although backend runs only in west", async () => {
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${client.dnsPort}`]);
    const addresses = await eventually(() => resolver.resolve4("backend.mesh"), PROPAGATION_MS);
    // The VIP listener of backend (its connection manager's stat_prefix is the service), bound on the VIP's loopback alias.
    const listeners: { name: string }[] = (await client.configDump()).listeners;
    const vipListener = listeners.find((listener) => /^outbound:24\d\./.test(listener.name) && JSON.stringify(listener).includes('"stat_prefix":"backend"'));
    assert.ok(vipListener, listeners.map((listener) => listener.name).join(", "));
    assert.deepEqual(addresses, [bindAddress(vipListener.name.split(":")[1]!)]);
  });
});
