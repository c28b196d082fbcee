import { test } from "node:test";
import assert from "node:assert/strict";
import type { PolicyResource } from "@zonemesh/resources";
import { generateProxyResources } from "./generate";
import type { GenerateInput } from "./input";
import { MeshView } from "./mesh-view";
import { caseFiles, loadCase } from "./test-cases";

const brokenRouteForBackendProxies: PolicyResource = {
  type: "MeshHTTPRoute",
  mesh: "default",
  name: "broken",
  labels: {},
  body: {
    spec: {
      targetRef: { kind: "MeshService", name: "backend" },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], default: { backendRefs: [{ kind: "MeshService", name: "missing" }] } }] }],
    },
  },
};

const reversed = <T>(items: T[]) => [...items].reverse();

test("a policy that cannot be translated is reported only for the proxies it selects and leaves others untouched", () => {
  const web = loadCase("http-and-tcp.input.yaml");
  const withBroken = { ...web, policies: [...web.policies, brokenRouteForBackendProxies] };
  assert.deepEqual(generateProxyResources(withBroken), generateProxyResources(web));

  const backend = { ...withBroken, dataplane: web.dataplanes.find((dataplane) => dataplane.name === "backend-1") } as GenerateInput;
  backend.dataplane.body.networking.outbound = [{ port: 10001, tags: { "kuma.io/service": "backend" } }];
  const generated = generateProxyResources(backend);
  const policy = { type: "MeshHTTPRoute", mesh: "default", name: "broken" };
  assert.deepEqual(generated.warnings, [
    { policy, reason: "a rule for backend has no usable backendRefs and was left out" },
    { policy, reason: 'backendRef MeshService "missing" is not a known service of the mesh' },
  ]);
  assert.ok(generated.listeners.some((listener) => listener.name === "outbound:127.0.0.1:10001"), "the rest of the config is still generated");
});

test("generation does not depend on the order of dataplanes, ingresses and policies", () => {
  const input = loadCase("cross-zone.input.yaml");
  const shuffled = { ...input, dataplanes: reversed(input.dataplanes), zoneIngresses: reversed(input.zoneIngresses), policies: reversed(input.policies) };
  assert.deepEqual(generateProxyResources(shuffled), generateProxyResources(input));
  const policies = loadCase("cluster-policies.input.yaml");
  assert.deepEqual(generateProxyResources({ ...policies, policies: reversed(policies.policies) }), generateProxyResources(policies));
});

test("without mTLS MeshTrafficPermission has no effect: no RBAC filter, no TLS", () => {
  const input = loadCase("mtp-mtls.input.yaml");
  const { mtls: _, ...meshWithoutMtls } = input.mesh;
  const generated = generateProxyResources({ ...input, mesh: meshWithoutMtls });
  const text = JSON.stringify(generated.listeners);
  assert.ok(!text.includes("rbac"), "no RBAC filter");
  assert.ok(!text.includes("transport_socket"), "plaintext inbound");
  assert.deepEqual(generated.secrets, []);
});

test("with mTLS and no MeshTrafficPermission selecting an inbound, every caller is denied", () => {
  const input = loadCase("mtp-mtls.input.yaml");
  const generated = generateProxyResources({ ...input, policies: [] });
  for (const listener of generated.listeners) {
    const filters = JSON.stringify(listener.filter_chains);
    assert.match(filters, /"rules":\{\}/, `${listener.name} denies everyone`);
  }
});

test("a mesh with mTLS needs the proxy's certificates", () => {
  const { certificates: _, ...input } = loadCase("mtp-mtls.input.yaml");
  assert.throws(() => generateProxyResources(input), /needs the proxy's certificates/);
});

test("proxies generated with one shared MeshView get exactly what each would get alone", () => {
  for (const file of caseFiles()) {
    const input = loadCase(file);
    const view = new MeshView(input);
    // Every proxy twice: the second round is served from the view's caches.
    for (const dataplane of [...input.dataplanes, ...input.dataplanes]) {
      const proxy = { ...input, dataplane };
      assert.deepEqual(generateProxyResources(proxy, view), generateProxyResources(proxy), `${file}: ${dataplane.name}`);
    }
  }
});

test("a proxyless gRPC client gets the mesh's HTTP services, not ExternalServices (DNS clusters gRPC's xDS client does not take)", () => {
  const input = loadCase("external-services.input.yaml");
  const generated = generateProxyResources({ ...input, proxyless: true });
  const apiListeners = generated.listeners.filter((listener) => listener.api_listener).map((listener) => listener.name);
  assert.deepEqual(apiListeners, ["web"]);
  const externals = ["httpbin", "payments", "ledger"];
  assert.deepEqual(generated.clusters.filter((cluster) => externals.includes(cluster.name)), []);
  assert.deepEqual(generateProxyResources(input).clusters.filter((cluster) => externals.includes(cluster.name)).map((cluster) => cluster.name), ["httpbin", "ledger", "payments"]);
});
