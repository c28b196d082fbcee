// `npm run bench:kds -w @zonemesh/bench [-- <zones> <dataplanes per zone>]`: the global's KDS server on a real
// store (SQLite) with 10 in-process zone clients of 1,000 Dataplanes each. Measures the full upward sync after
// a cold start, a policy applied on the global reaching every zone (p50/p99), and bytes on the wire per change.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKdsClient, type KdsClient, type KdsResource } from "@zonemesh/kds";
import { createTokenService, loadOrCreateSigningKeys } from "@zonemesh/cp/api-server";
import { globalToZoneTypes, startGlobalKds } from "@zonemesh/cp/kds";
import { openStore } from "@zonemesh/store";
import { ms, percentile } from "../store/stats";

const zoneCount = Number(process.argv[2] ?? 10);
const dataplanesPerZone = Number(process.argv[3] ?? 1_000);
const policyChanges = 100;

interface BenchZone {
  name: string;
  client: KdsClient;
  dataplanes: KdsResource[];
  notifyDataplanes(): void;
  /** Policy name -> when it arrived. */
  arrivals: Map<string, number>;
}

function dataplane(zone: string, index: number): KdsResource {
  const service = `svc-${index % 100}`;
  return {
    mesh: "default",
    name: `${service}-${index}`,
    labels: { "kuma.io/origin": "zone", "kuma.io/zone": zone },
    body: {
      networking: {
        address: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
        inbound: [{ port: 8080, servicePort: 80, tags: { "kuma.io/service": service, "kuma.io/protocol": "http" } }],
      },
    },
  };
}

const permission = (name: string, service: string) => ({
  type: "MeshTrafficPermission",
  mesh: "default",
  name,
  spec: { spec: { targetRef: { kind: "MeshService", name: service }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] } },
});

function startZone(name: string, address: string, token: string): BenchZone {
  const held = new Map<string, Map<string, KdsResource>>();
  let onChange: ((type: string) => void) | undefined;
  const zone: BenchZone = {
    name,
    dataplanes: Array.from({ length: dataplanesPerZone }, (_, i) => dataplane(name, i)),
    notifyDataplanes: () => onChange?.("Dataplane"),
    arrivals: new Map(),
    client: createKdsClient({
      address,
      zone: name,
      instanceId: `bench-${name}`,
      token,
      zoneToGlobal: {
        types: ["Dataplane"],
        snapshotFor: (type) => (type === "Dataplane" ? zone.dataplanes : []),
        subscribe: (listener) => {
          onChange = listener;
          return () => (onChange = undefined);
        },
      },
      globalToZone: {
        types: globalToZoneTypes,
        heldFromGlobal: (type) => [...(held.get(type)?.values() ?? [])],
        onGlobalResources: (type, delta) => {
          const now = performance.now();
          const ofType = held.get(type) ?? new Map<string, KdsResource>();
          held.set(type, ofType);
          for (const resource of delta.upserted) {
            ofType.set(`${resource.mesh}/${resource.name}`, resource);
            if (type === "MeshTrafficPermission") zone.arrivals.set(resource.name, now);
          }
          for (const key of delta.removed) ofType.delete(`${key.mesh}/${key.name}`);
        },
      },
    }),
  };
  zone.client.start();
  return zone;
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string, pollMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "zonemesh-bench-kds-"));
const store = await openStore({ dataDir });
const tokens = createTokenService(await loadOrCreateSigningKeys(store));
await store.upsert({ type: "Mesh", mesh: "", name: "default", spec: {} });
const global = await startGlobalKds({ store, tokens, instanceId: "bench-global", listenAddress: "127.0.0.1:0", insightFlushIntervalMs: 60_000 });
const address = `127.0.0.1:${global.port}`;
const zoneNames = Array.from({ length: zoneCount }, (_, i) => `zone-${i + 1}`);
const zoneTokens = await Promise.all(zoneNames.map((zone) => tokens.issueToken("zone", { zone }, 3600)));

const totalDataplanes = zoneCount * dataplanesPerZone;
const globalDataplanes = async () => (await store.list({ type: "Dataplane", size: 1 })).total;

// Cold start: the global holds nothing from the zones; every zone dials at once.
const coldStart = performance.now();
const zones = zoneNames.map((zone, i) => startZone(zone, address, zoneTokens[i]!));
// Counting rows is a query of its own: poll it seldom enough not to slow the writes it waits for.
await until(async () => (await globalDataplanes()) === totalDataplanes, 300_000, `${totalDataplanes} dataplanes on the global`, 100);
const upwardSeconds = (performance.now() - coldStart) / 1000;
await until(() => zones.every((zone) => zone.client.connected()), 10_000, "every zone connected");

// One policy at a time: from the start of the write on the global to its arrival in the last zone.
const bytesBefore = zones.map((zone) => zone.client.stats().bytesReceived);
const latencies: number[] = [];
for (let i = 0; i < policyChanges; i++) {
  const name = `allow-${i}`;
  const start = performance.now();
  await store.upsert(permission(name, `svc-${i % 100}`));
  await until(() => zones.every((zone) => zone.arrivals.has(name)), 30_000, `policy ${name} in every zone`);
  latencies.push(Math.max(...zones.map((zone) => zone.arrivals.get(name)!)) - start);
}
const downBytes = zones.reduce((sum, zone, i) => sum + zone.client.stats().bytesReceived - bytesBefore[i]!, 0) / (policyChanges * zoneCount);

// One Dataplane changed in one zone: bytes that zone sends up.
const [first] = zones;
const sentBefore = first!.client.stats().bytesSent;
const changed = structuredClone(first!.dataplanes[0]!);
(changed.body as { networking: { address: string } }).networking.address = "10.255.255.254";
first!.dataplanes[0] = changed;
first!.notifyDataplanes();
const changedName = `${changed.name}`;
await until(
  async () => {
    const onGlobal = await store.list({ type: "Dataplane", labels: { "kuma.io/zone": first!.name, "kuma.io/display-name": changedName } });
    return (onGlobal.items[0]?.spec as { networking?: { address?: string } } | undefined)?.networking?.address === "10.255.255.254";
  },
  30_000,
  "the changed dataplane on the global",
);
const upBytes = first!.client.stats().bytesSent - sentBefore;

for (const zone of zones) zone.client.stop();
await global.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });

console.log(`KDS bench: ${zoneCount} zones x ${dataplanesPerZone} dataplanes, global on SQLite`);
console.log(`| full upward sync after cold start (${totalDataplanes} Dataplanes on the global) | ${upwardSeconds.toFixed(1)} s |`);
console.log(`| policy applied on global -> in all ${zoneCount} zones, p50 / p99 (${policyChanges} policies) | ${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))} |`);
console.log(`| bytes on the wire per policy change, per zone (the global's response) | ${Math.round(downBytes)} B |`);
console.log(`| bytes on the wire for one changed Dataplane (the zone's response) | ${upBytes} B |`);
process.exit(0);
