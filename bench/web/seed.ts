// Seeds a CP through its REST API: one PUT per resource, a few requests in flight at a time.
export interface SeedShape {
  dataplanes: number;
  services: number;
  zones: string[];
  /** MeshTrafficPermissions, each letting svc-(k+1) call svc-k: the topology's edges. */
  permissions: number;
}

const at = "2026-11-25T09:00:00Z";
const connected = { subscriptions: [{ id: "s1", connectTime: at, controlPlaneInstanceId: "cp-1", status: { lastUpdateTime: at } }] };
const disconnected = { subscriptions: [{ id: "s1", connectTime: at, disconnectTime: at, controlPlaneInstanceId: "cp-1", status: {} }] };

async function put(cpUrl: string, path: string, body: object) {
  const response = await fetch(cpUrl + path, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
}

async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** True when a previous run left this shape in the store (the last resources a seed writes are the permissions). */
export async function isSeeded(cpUrl: string, shape: SeedShape) {
  const total = async (path: string) => {
    const response = await fetch(`${cpUrl}${path}?size=1`);
    return response.ok ? ((await response.json()) as { total: number }).total : -1;
  };
  return (
    (await total("/meshes/default/dataplanes")) === shape.dataplanes &&
    (await total("/meshes/default/dataplane-insights")) === shape.dataplanes &&
    (await total("/meshes/default/meshtrafficpermissions")) === shape.permissions
  );
}

/** Every 20th dataplane is offline and every 20th (shifted) partially degraded; the rest are online. */
export async function seedThroughApi(cpUrl: string, shape: SeedShape) {
  await put(cpUrl, "/meshes/default", { type: "Mesh", name: "default", mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } });
  for (const zone of shape.zones) {
    await put(cpUrl, `/zones/${zone}`, { type: "Zone", name: zone, enabled: true });
    await put(cpUrl, `/zone-insights/${zone}`, { type: "ZoneInsight", name: zone, subscriptions: [{ id: "k1", connectTime: at, globalInstanceId: "g-1", status: {} }] });
  }
  await inParallel(shape.dataplanes, 8, async (index) => {
    const service = `svc-${index % shape.services}`;
    const zone = shape.zones[index % shape.zones.length]!;
    const name = `${service}-${index}`;
    const degraded = index % 20 === 1;
    await put(cpUrl, `/meshes/default/dataplanes/${name}`, {
      type: "Dataplane",
      mesh: "default",
      name,
      labels: { "kuma.io/zone": zone },
      networking: {
        address: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
        inbound: [
          {
            port: 8080,
            servicePort: 80,
            tags: { "kuma.io/service": service, "kuma.io/protocol": "http", "kuma.io/zone": zone, version: `v${index % 3}` },
            ...(degraded ? { health: { ready: false } } : {}),
          },
        ],
      },
    });
    const insight = index % 20 === 0 ? disconnected : connected;
    await put(cpUrl, `/meshes/default/dataplane-insights/${name}`, { type: "DataplaneInsight", mesh: "default", name, ...insight });
  });
  await inParallel(shape.permissions, 8, async (k) => {
    await put(cpUrl, `/meshes/default/meshtrafficpermissions/allow-${k}`, {
      type: "MeshTrafficPermission",
      mesh: "default",
      name: `allow-${k}`,
      spec: {
        targetRef: { kind: "MeshService", name: `svc-${k}` },
        from: [{ targetRef: { kind: "MeshService", name: `svc-${(k + 1) % shape.services}` }, default: { action: "Allow" } }],
      },
    });
  });
}
