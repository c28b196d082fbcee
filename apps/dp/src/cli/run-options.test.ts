import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeIdOf } from "./proxy-document";
import { parseRunOptions } from "./run-options";

const ingressYaml = `type: ZoneIngress
name: ingress-1
networking:
  address: 127.0.0.1
  port: 10001
  advertisedAddress: 203.0.113.2
  advertisedPort: 30001
`;
const run = (...args: string[]) => parseRunOptions(["--cp-address", "127.0.0.1:5678", ...args]);

test("--proxy-type ingress reads a ZoneIngress: registered without a mesh, node id .<name>", () => {
  const options = run("--proxy-type", "ingress", "--dataplane", ingressYaml);
  assert.equal(options.proxyType, "ingress");
  assert.deepEqual(options.document, {
    type: "ZoneIngress",
    mesh: "",
    name: "ingress-1",
    wire: { type: "ZoneIngress", name: "ingress-1", labels: {}, networking: { address: "127.0.0.1", port: 10001, advertisedAddress: "203.0.113.2", advertisedPort: 30001 } },
  });
  assert.equal(nodeIdOf(options.document), ".ingress-1");
});

test("an ingress document is checked: type, mesh, networking fields, and no DNS port", () => {
  assert.throws(() => run("--dataplane", ingressYaml), /type: --proxy-type dataplane needs a Dataplane, got ZoneIngress/);
  assert.throws(() => run("--proxy-type", "ingress", "--dataplane", `mesh: default\n${ingressYaml}`), /mesh: a ZoneIngress belongs to no mesh/);
  assert.throws(() => run("--proxy-type", "ingress", "--dataplane", ingressYaml.replace("port: 10001", "port: 70000")), /networking\.port/);
  assert.throws(() => run("--proxy-type", "ingress", "--dataplane", ingressYaml, "--dns-port", "5353"), /--dns-port: a zone ingress runs no DNS server/);
});
