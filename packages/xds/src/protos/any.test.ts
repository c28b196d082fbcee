import { test } from "node:test";
import assert from "node:assert/strict";
import { packAny, unpackAny } from "./any";
import { typeUrls } from "./type-urls";
import { envoyRoot } from "./root";
import { typeNames } from "../types/index";
import { edsCluster, httpListener, identitySecret, loadAssignment, routeConfiguration, tcpListener } from "../testing/sample-resources";

const samples = [
  ["HTTP Listener (tls_inspector, TLS, HCM with RDS, RBAC, fault, router, access log)", typeUrls.listener, httpListener],
  ["TCP Listener (network RBAC, local rate limit, weighted TcpProxy)", typeUrls.listener, tcpListener],
  ["EDS Cluster (health check, circuit breakers, outlier detection, upstream TLS, HTTP/2)", typeUrls.cluster, edsCluster],
  ["ClusterLoadAssignment", typeUrls.endpoint, loadAssignment],
  ["RouteConfiguration (weighted clusters, retry, per-route fault and local rate limit)", typeUrls.route, routeConfiguration],
  ["Secret", typeUrls.secret, identitySecret],
] as const;

for (const [label, typeUrl, resource] of samples) {
  test(`${label} round-trips through Envoy's protos without loss`, () => {
    const any = packAny(typeUrl, resource);
    assert.equal(any.type_url, typeUrl);
    assert.ok(any.value.length > 0);
    assert.deepEqual(unpackAny(any), resource);
  });
}

test("every declared filter type name exists in the loaded protos", () => {
  for (const name of Object.values(typeNames)) assert.ok(envoyRoot.lookupType(name), name);
});

test("packAny accepts a full message name as well as a type URL", () => {
  assert.equal(packAny("envoy.config.cluster.v3.Cluster", { name: "c" }).type_url, typeUrls.cluster);
});

test("packAny names the unknown field instead of dropping it", () => {
  const listener = structuredClone(httpListener) as unknown as { filter_chains: { filters: { typed_config: Record<string, unknown> }[] }[] };
  listener.filter_chains[0]!.filters[0]!.typed_config.route_config_nmae = "typo";
  assert.throws(() => packAny(typeUrls.listener, listener), {
    message: "invalid Listener: Listener.filter_chains[0].filters[0].typed_config.route_config_nmae: unknown field of envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
  });
});

test("packAny rejects unknown enum names, mistyped scalars, unknown Any types and oneof conflicts", () => {
  assert.throws(() => packAny(typeUrls.cluster, { name: "c", lb_policy: "FASTEST" }), /Cluster\.lb_policy: unknown LbPolicy value "FASTEST"/);
  assert.throws(
    () => packAny(typeUrls.endpoint, { cluster_name: "c", endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: "a", port_value: "80" } } } }] }] }),
    /ClusterLoadAssignment\.endpoints\[0\]\.lb_endpoints\[0\]\.endpoint\.address\.socket_address\.port_value: expected an integer, got string "80"/,
  );
  assert.throws(
    () => packAny(typeUrls.listener, { name: "l", filter_chains: [{ filters: [{ name: "x", typed_config: { "@type": "type.googleapis.com/no.such.Filter" } }] }] }),
    /typed_config\.@type: unknown message type "type.googleapis.com\/no.such.Filter"/,
  );
  assert.throws(() => packAny(typeUrls.route, { name: "r", virtual_hosts: "vh" }), /RouteConfiguration\.virtual_hosts: expected an array, got string/);
  assert.throws(() => packAny(typeUrls.route, { name: "r", virtual_hosts: [{ name: "v", domains: ["*"], routes: [{ match: { prefix: "/", path: "/x" } }] }] }), /invalid RouteConfiguration: .*path_specifier: multiple values/);
  assert.throws(() => packAny("envoy.config.listener.v3.Nope", {}), /unknown protobuf message type "envoy.config.listener.v3.Nope"/);
});
