// One valid resource per registry type (policies from Kuma's documentation examples), for the API and CLI tests.

const connected = { id: "stream-1", connectTime: "2026-01-01T00:00:00Z", status: {} };

const examples: Record<string, (mesh: string) => Record<string, unknown>> = {
  Mesh: () => ({ mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } }),
  Dataplane: () => ({
    networking: {
      address: "10.0.0.1",
      inbound: [{ port: 8080, servicePort: 80, tags: { "kuma.io/service": "web", "kuma.io/protocol": "http", version: "v1" } }],
    },
  }),
  ZoneIngress: () => ({ zone: "east", networking: { address: "10.0.1.1", port: 10001, advertisedAddress: "1.2.3.4", advertisedPort: 10001 } }),
  ExternalService: () => ({ tags: { "kuma.io/service": "httpbin", "kuma.io/protocol": "http" }, networking: { address: "httpbin.org:443", tls: { enabled: true, serverName: "httpbin.org" } } }),
  ZoneEgress: () => ({ zone: "east", networking: { address: "10.0.2.1", port: 10002 } }),
  Zone: () => ({ enabled: true }),
  Secret: () => ({ data: Buffer.from("s3cret").toString("base64") }),
  GlobalSecret: () => ({ data: Buffer.from("global-s3cret").toString("base64") }),
  DataplaneInsight: () => ({ subscriptions: [{ ...connected, controlPlaneInstanceId: "cp-1" }] }),
  ZoneInsight: () => ({ subscriptions: [{ ...connected, globalInstanceId: "global-1" }] }),
  ZoneIngressInsight: () => ({ subscriptions: [{ ...connected, controlPlaneInstanceId: "cp-1" }] }),
  MeshInsight: () => ({ dataplanes: { total: 1, online: 1, offline: 0 } }),
  MeshTrafficPermission: () => ({
    spec: { targetRef: { kind: "MeshService", name: "web" }, from: [{ targetRef: { kind: "MeshSubset", tags: { "kuma.io/zone": "east" } }, default: { action: "Allow" } }] },
  }),
  MeshHTTPRoute: () => ({
    spec: {
      targetRef: { kind: "MeshService", name: "frontend" },
      to: [
        {
          targetRef: { kind: "MeshService", name: "backend" },
          rules: [
            {
              matches: [{ path: { type: "PathPrefix", value: "/v2" } }],
              default: { backendRefs: [{ kind: "MeshServiceSubset", name: "backend", tags: { version: "v2" }, weight: 100 }] },
            },
          ],
        },
      ],
    },
  }),
  MeshTCPRoute: () => ({
    spec: {
      targetRef: { kind: "MeshService", name: "frontend" },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ default: { backendRefs: [{ kind: "MeshService", name: "other-backend" }] } }] }],
    },
  }),
  MeshTimeout: () => ({
    spec: {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "20s", connectionTimeout: "2s", http: { requestTimeout: "2s" } } }],
    },
  }),
  MeshRetry: () => ({
    spec: {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { numRetries: 5, retryOn: ["5xx"], backOff: { baseInterval: "15s", maxInterval: "20m" } } } }],
    },
  }),
  MeshCircuitBreaker: () => ({
    spec: {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "Mesh" }, default: { connectionLimits: { maxConnections: 2, maxPendingRequests: 8 } } }],
    },
  }),
  MeshHealthCheck: () => ({
    spec: {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { interval: "10s", timeout: "2s", unhealthyThreshold: 3, healthyThreshold: 1, http: { path: "/health" } } }],
    },
  }),
  MeshFaultInjection: () => ({
    spec: {
      targetRef: { kind: "MeshService", name: "backend" },
      from: [{ targetRef: { kind: "MeshService", name: "frontend" }, default: { http: [{ abort: { httpStatus: 500, percentage: 50 } }] } }],
    },
  }),
  MeshRateLimit: () => ({
    spec: {
      targetRef: { kind: "MeshService", name: "backend" },
      from: [{ targetRef: { kind: "Mesh" }, default: { local: { http: { requestRate: { num: 5, interval: "10s" } } } } }],
    },
  }),
  MeshLoadBalancingStrategy: () => ({
    spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { loadBalancer: { type: "LeastRequest" } } }] },
  }),
  MeshAccessLog: () => ({
    spec: {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "Mesh" }, default: { backends: [{ type: "File", file: { path: "/tmp/access.log" } }] } }],
    },
  }),
  MeshMetric: () => ({
    spec: { targetRef: { kind: "Mesh" }, default: { backends: [{ type: "Prometheus", prometheus: { port: 5670, path: "/metrics" } }] } },
  }),
  MeshTLS: () => ({
    spec: { targetRef: { kind: "Mesh" }, rules: [{ default: { tlsVersion: { min: "TLS12" }, mode: "Strict" } }] },
  }),
};

/** A valid resource of `type` in Kuma's wire shape; mesh-scoped types get `mesh`. */
export function exampleResource(type: { name: string; scope: string }, name: string, mesh = "default"): Record<string, unknown> {
  const body = examples[type.name];
  if (!body) throw new Error(`no example for ${type.name}: add one to example-resources.ts`);
  return { type: type.name, name, ...(type.scope === "Mesh" ? { mesh } : {}), labels: { team: "core" }, ...body(mesh) };
}
