// A real control-plane API (global mode, SQLite in a temp dir) for the BFF's tests, and helpers that seed
// its store the way KDS would (zones' dataplanes and insights are never written through the global API).
import type { ResourceStore } from "@zonemesh/store";
// apps/cp's test server: its API factory on a SQLite store in a temp dir.
import { startTestApiServer, type TestApiServer } from "@zonemesh/cp/testing";
import { createCpClient } from "../cp-client";
import { createCaller } from "../root";

export interface BffFixture {
  cp: TestApiServer;
  store: ResourceStore;
  caller: ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

export async function startBff(): Promise<BffFixture> {
  const cp = await startTestApiServer({ mode: "global" });
  return {
    cp,
    store: cp.store,
    caller: createCaller({ cp: createCpClient(cp.url) }),
    close: () => cp.close(),
  };
}

const connected = (at: string) => ({ subscriptions: [{ id: "s1", connectTime: at, controlPlaneInstanceId: "cp-1", status: {} }] });
const disconnected = (at: string) => ({
  subscriptions: [{ id: "s1", connectTime: at, disconnectTime: at, controlPlaneInstanceId: "cp-1", status: {} }],
});

export async function seedMesh(store: ResourceStore, name: string, mtls = false) {
  await store.upsert({
    type: "Mesh",
    mesh: "",
    name,
    spec: mtls ? { mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } } : {},
  });
}

export async function seedZone(store: ResourceStore, name: string, online: boolean) {
  const at = "2026-11-25T09:00:00Z";
  await store.upsert({ type: "Zone", mesh: "", name, spec: { enabled: true } });
  const subscription = { id: "k1", connectTime: at, globalInstanceId: "global-1", status: {} };
  await store.upsert({
    type: "ZoneInsight",
    mesh: "",
    name,
    spec: { subscriptions: [online ? subscription : { ...subscription, disconnectTime: at }] },
  });
}

export interface SeedDataplane {
  mesh: string;
  name: string;
  zone: string;
  service: string;
  status: "online" | "offline" | "partially_degraded";
  tags?: Record<string, string>;
  /** The name in its zone, when `name` is the zone-scoped name KDS stores it under on the global CP. */
  displayName?: string;
  /** Resource labels beside the zone's and the display name. */
  labels?: Record<string, string>;
  /** The newest subscription's `version`, as a zone CP records what the proxy reports. */
  version?: Record<string, unknown>;
}

export async function seedDataplane(store: ResourceStore, dp: SeedDataplane) {
  const at = "2026-11-25T09:00:00Z";
  await store.upsert({
    type: "Dataplane",
    mesh: dp.mesh,
    name: dp.name,
    labels: { ...dp.labels, "kuma.io/zone": dp.zone, ...(dp.displayName ? { "kuma.io/display-name": dp.displayName } : {}) },
    spec: {
      networking: {
        address: "10.0.0.1",
        inbound: [
          {
            port: 8080,
            tags: { "kuma.io/service": dp.service, "kuma.io/zone": dp.zone, ...dp.tags },
            ...(dp.status === "partially_degraded" ? { health: { ready: false } } : {}),
          },
        ],
      },
    },
  });
  const [subscription] = (dp.status === "offline" ? disconnected(at) : connected(at)).subscriptions;
  const spec = { subscriptions: [{ ...subscription, ...(dp.version ? { version: dp.version } : {}) }] };
  await store.upsert({ type: "DataplaneInsight", mesh: dp.mesh, name: dp.name, spec });
}

/** A zone's ingress as KDS stores it on the global CP: zone-scoped name, its own name in a label. */
export async function seedZoneIngress(store: ResourceStore, ingress: { name: string; displayName: string; zone: string; online: boolean }) {
  const at = "2026-11-25T09:00:00Z";
  await store.upsert({
    type: "ZoneIngress",
    mesh: "",
    name: ingress.name,
    labels: { "kuma.io/zone": ingress.zone, "kuma.io/display-name": ingress.displayName },
    spec: { zone: ingress.zone, networking: { address: "10.0.0.9", port: 10001 }, availableServices: [] },
  });
  await store.upsert({ type: "ZoneIngressInsight", mesh: "", name: ingress.name, spec: ingress.online ? connected(at) : disconnected(at) });
}
