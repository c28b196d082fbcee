import { test } from "node:test";
import assert from "node:assert/strict";
import { hashPolicies } from "./hash-policies";
import type { LoadBalancingConf } from "./policy-confs";

const origins = [{ type: "MeshLoadBalancingStrategy", mesh: "default", name: "lb" }];
const routeHashes = (conf: LoadBalancingConf) => hashPolicies({ conf, origins }, () => assert.fail("no warning expected"));

test("Kuma 2.9+'s default.hashPolicies hash RingHash and Maglev routes; the balancer's own hashPolicies win; other balancers hash nothing", () => {
  const shared: LoadBalancingConf["hashPolicies"] = [{ type: "Cookie", cookie: { name: "session", ttl: "1h" } }, { type: "Connection", connection: { sourceIP: true }, terminal: true }];
  assert.deepEqual(routeHashes({ loadBalancer: { type: "Maglev" }, hashPolicies: shared }), [
    { cookie: { name: "session", ttl: { seconds: 3600 } } },
    { connection_properties: { source_ip: true }, terminal: true },
  ]);
  assert.deepEqual(routeHashes({ loadBalancer: { type: "RingHash", ringHash: { hashPolicies: [{ type: "Header", header: { name: "x-user" } }] } }, hashPolicies: shared }), [
    { header: { header_name: "x-user" } },
  ]);
  assert.deepEqual(routeHashes({ loadBalancer: { type: "RoundRobin" }, hashPolicies: shared }), []);
});
