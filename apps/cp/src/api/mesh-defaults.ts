import type { MeshBody } from "@zonemesh/resources";
import type { NewResource, ResourceStore, StoredResource } from "@zonemesh/store";

/** Kuma's defaults for every proxy (pkg/plugins/policies/core/defaults): inbound ones are twice as long or off. */
const CONNECT_TIMEOUT = "5s";
const IDLE_TIMEOUT = "1h";
const STREAM_IDLE_TIMEOUT = "30m";
const REQUEST_TIMEOUT = "15s";

const retryConf = { numRetries: 5, perTryTimeout: "16s", backOff: { baseInterval: "25ms", maxInterval: "250ms" } };

/**
 * The policies Kuma creates with a new mesh (pkg/defaults/mesh), by name prefix: inbound and outbound timeouts,
 * connection limits and retries for every sidecar. `rules` and `to` cannot share one MeshTimeout, hence two.
 */
const INITIAL_POLICIES: readonly { prefix: string; type: string; spec: object }[] = [
  {
    prefix: "mesh-timeout-all",
    type: "MeshTimeout",
    spec: {
      targetRef: { kind: "Mesh", proxyTypes: ["Sidecar"] },
      rules: [
        {
          default: {
            connectionTimeout: "10s",
            idleTimeout: "2h",
            http: { requestTimeout: "0s", streamIdleTimeout: "1h", maxStreamDuration: "0s" },
          },
        },
      ],
    },
  },
  {
    prefix: "mesh-timeout-to-all",
    type: "MeshTimeout",
    spec: {
      targetRef: { kind: "Mesh", proxyTypes: ["Sidecar"] },
      to: [
        {
          targetRef: { kind: "Mesh" },
          default: {
            connectionTimeout: CONNECT_TIMEOUT,
            idleTimeout: IDLE_TIMEOUT,
            http: { requestTimeout: REQUEST_TIMEOUT, streamIdleTimeout: STREAM_IDLE_TIMEOUT },
          },
        },
      ],
    },
  },
  {
    prefix: "mesh-circuit-breaker-all",
    type: "MeshCircuitBreaker",
    spec: {
      targetRef: { kind: "Mesh" },
      to: [
        {
          targetRef: { kind: "Mesh" },
          default: { connectionLimits: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 } },
        },
      ],
    },
  },
  {
    prefix: "mesh-retry-all",
    type: "MeshRetry",
    spec: {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "Mesh" }, default: { tcp: { maxConnectAttempt: 5 }, http: retryConf, grpc: retryConf } }],
    },
  },
];

/**
 * What a new mesh is created with, as Kuma does: `<prefix>-<mesh>` for each default policy whose type the Mesh's
 * `skipCreatingInitialPolicies` does not list (`"*"` skips them all).
 */
function initialPolicies(mesh: string, skip: readonly string[]): NewResource[] {
  if (skip.includes("*")) return [];
  return INITIAL_POLICIES.filter(({ type }) => !skip.includes(type)).map(({ prefix, type, spec }) => ({
    type,
    mesh,
    name: `${prefix}-${mesh}`,
    spec: { spec },
  }));
}

/** Writes a new Mesh and its initial policies in one transaction: a mesh is never seen without them. */
export async function createMesh(store: ResourceStore, mesh: NewResource & { spec: MeshBody }): Promise<StoredResource> {
  const [stored] = await store.upsertMany([mesh, ...initialPolicies(mesh.name, mesh.spec.skipCreatingInitialPolicies ?? [])]);
  return stored!;
}

/** Kuma's start-up default: the mesh `default`, with its initial policies, unless it exists. */
export async function ensureDefaultMesh(store: ResourceStore): Promise<void> {
  if (await store.get({ type: "Mesh", mesh: "", name: "default" })) return;
  await createMesh(store, { type: "Mesh", mesh: "", name: "default", spec: {} });
}
