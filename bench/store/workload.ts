// Kuma-shaped resources for the store benchmark: Dataplanes spread over services and zones, and a mix of
// targetRef policies.
import type { NewResource } from "@zonemesh/store";

export const mesh = "default";
export const zones = ["zone-1", "zone-2", "zone-3"];
const services = 100;

export function dataplane(index: number): NewResource {
  const service = `svc-${index % services}`;
  return {
    type: "Dataplane",
    mesh,
    name: `${service}-${index}`,
    labels: { "kuma.io/zone": zones[index % zones.length]!, "kuma.io/service": service },
    spec: {
      networking: {
        address: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
        inbound: [{ port: 8080, servicePort: 80, tags: { "kuma.io/service": service, "kuma.io/protocol": "http", version: "v1" } }],
      },
    },
  };
}

const policyBodies: Record<string, (service: string) => unknown> = {
  MeshTrafficPermission: (service) => ({
    targetRef: { kind: "MeshService", name: service },
    from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }],
  }),
  MeshTimeout: (service) => ({
    targetRef: { kind: "Mesh" },
    to: [{ targetRef: { kind: "MeshService", name: service }, default: { connectionTimeout: "2s", http: { requestTimeout: "15s" } } }],
  }),
  MeshRetry: (service) => ({
    targetRef: { kind: "Mesh" },
    to: [{ targetRef: { kind: "MeshService", name: service }, default: { http: { numRetries: 3, retryOn: ["5xx"] } } }],
  }),
  MeshCircuitBreaker: (service) => ({
    targetRef: { kind: "Mesh" },
    to: [{ targetRef: { kind: "MeshService", name: service }, default: { outlierDetection: { detectors: { totalFailures: { consecutive: 5 } } } } }],
  }),
};
const policyTypes = Object.keys(policyBodies);

export function policy(index: number): NewResource {
  const type = policyTypes[index % policyTypes.length]!;
  const service = `svc-${index % services}`;
  return { type, mesh, name: `${type.toLowerCase()}-${index}`, labels: {}, spec: { spec: policyBodies[type]!(service) } };
}
