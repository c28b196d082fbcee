import { test } from "node:test";
import assert from "node:assert/strict";
import type { UpstreamTlsContext } from "@zonemesh/xds";
import { generateProxyResources } from "../generate";
import type { DataplaneResource, ZoneIngressResource } from "../input";
import { generateIngressResources } from "./generate-ingress";
import { loadIngressCase } from "./test-cases";

const client: DataplaneResource = {
  type: "Dataplane",
  mesh: "default",
  name: "web-1",
  labels: { "kuma.io/zone": "zone-1" },
  body: {
    networking: {
      address: "10.1.0.1",
      inbound: [{ port: 18080, servicePort: 8080, tags: { "kuma.io/service": "web", "kuma.io/protocol": "http" } }],
      outbound: [
        { port: 10001, tags: { "kuma.io/service": "backend" } },
        { port: 10002, tags: { "kuma.io/service": "payments" } },
      ],
    },
  },
};

test("a client in another zone sets, for each remote service and routed subset, an SNI the ingress has a filter chain for, and dials the ingress", () => {
  const input = loadIngressCase("ingress-two-meshes.ingress.yaml");
  const generated = generateIngressResources(input);
  // What KDS carries to zone-1: the ingress with the availableServices its zone computed.
  const ingress: ZoneIngressResource = { type: "ZoneIngress", mesh: "", name: input.ingress.name, labels: {}, body: { ...input.ingress.body, availableServices: generated.availableServices } };
  const mesh = input.meshes.find((candidate) => candidate.name === "default")!;
  const clientResources = generateProxyResources({
    dataplane: client,
    mesh: { ...mesh.body, name: mesh.name },
    dataplanes: [client],
    zoneIngresses: [ingress],
    policies: input.policies ?? [],
    vips: new Map(),
    localZone: "zone-1",
    certificates: { identity: { certPem: "cert", keyPem: "key" }, meshCaPem: "ca" },
  });

  const serverNames = new Set(generated.listeners.flatMap((listener) => listener.filter_chains ?? []).flatMap((chain) => chain.filter_chain_match?.server_names ?? []));
  const remote = clientResources.clusters.filter((cluster) => cluster.transport_socket);
  assert.deepEqual(remote.map((cluster) => cluster.name), ["backend", "backend{version=v1}", "backend{version=v2}", "backend{version=v3}", "payments"]);
  for (const cluster of remote) {
    const sni = (cluster.transport_socket?.typed_config as UpstreamTlsContext | undefined)?.sni;
    assert.ok(sni && serverNames.has(sni), `${cluster.name}: SNI ${sni} is one of the ingress's server_names ${[...serverNames].join(", ")}`);
    const assignment = clientResources.endpoints.find((candidate) => candidate.cluster_name === cluster.name)!;
    const addresses = (assignment.endpoints ?? []).flatMap((locality) => (locality.lb_endpoints ?? []).map((lb) => lb.endpoint?.address?.socket_address));
    // Nobody runs backend v3 (only mirrored to): no endpoint anywhere.
    const expected = cluster.name === "backend{version=v3}" ? [] : [{ address: "203.0.113.2", port_value: 30001 }];
    assert.deepEqual(addresses, expected, `${cluster.name} goes through the ingress's advertised address`);
  }
});
