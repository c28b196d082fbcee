// A global CP and zone CPs as real processes, a mesh with builtin mTLS applied on the global, and the dataplanes
// started against the zones: what every mesh end-to-end test stands on.
import assert from "node:assert/strict";
import { parse } from "yaml";
import { call } from "@zonemesh/cp/testing";
import type { CpProcess } from "@zonemesh/cp/testing/cp-process";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { apply, fetchResource, listResources, remove, startMultiZone } from "@zonemesh/cp/testing/multizone";
import { trackChild, untrackChild } from "./child-registry";
import { startDataplaneProcess, type DataplaneProcess } from "./dataplane-process";

/** How long KDS (global -> zone) plus xDS (zone -> dp) take to carry a change on a loaded 2-core machine. */
export const PROPAGATION_MS = 30_000;

export interface StartDataplaneOptions {
  zone: string;
  /** A Dataplane (or, with `proxyType: "ingress"`, ZoneIngress) YAML document. */
  yaml: string;
  proxyType?: "dataplane" | "ingress";
  dns?: boolean;
  /** Default a dataplane token issued by the zone CP for the document's mesh and name. */
  token?: string;
  /** Default true: wait for `/ready`. */
  waitReady?: boolean;
}

export interface ZoneCluster {
  global: CpProcess;
  zones: Record<string, CpProcess>;
  mesh: string;
  /** PUTs a resource (Kuma JSON) on the global; policies reach the zones over KDS. */
  applyOnGlobal(plural: string, resource: { name: string; mesh?: string } & Record<string, unknown>): Promise<void>;
  removeFromGlobal(plural: string, name: string, mesh?: string): Promise<void>;
  /** The dataplane processes started (and not replaced by a restart) so far. */
  dataplanes(): DataplaneProcess[];
  /** Issues a token on the zone CP and starts `zonemesh-dp run`; stopped by `stop()` unless stopped before. */
  startDataplane(options: StartDataplaneOptions): Promise<DataplaneProcess>;
  /** Restarts a dataplane process (same ports); the cluster stops the new one. */
  restartDataplane(dp: DataplaneProcess): Promise<DataplaneProcess>;
  /** SIGKILLs a zone CP (a crash). */
  killZone(zone: string): Promise<void>;
  /** Starts the zone CP again on its ports and data directory. */
  restartZone(zone: string): Promise<CpProcess>;
  /** Stops every dataplane and CP and removes their data; safe to call after a failed start. */
  stop(): Promise<void>;
}

export interface ZoneClusterOptions {
  zones: string[];
  mesh?: string;
  /**
   * Default builtin mTLS (`ca-1`) without Kuma's initial policies (its own e2e tests skip them too), so that a test
   * sees only the policies it applies.
   */
  meshBody?: Record<string, unknown>;
}

export const builtinMtls = { mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } };

export async function startZoneCluster(options: ZoneClusterOptions): Promise<ZoneCluster> {
  const mesh = options.mesh ?? "default";
  const { global, zones } = await startMultiZone(options.zones);
  for (const cp of [global, ...Object.values(zones)]) trackChild(cp.pid);
  const dataplanes = new Set<DataplaneProcess>();
  const killedZones = new Set<string>();

  const track = (dp: DataplaneProcess) => {
    dataplanes.add(dp);
    return dp;
  };
  const cluster: ZoneCluster = {
    global,
    zones,
    mesh,
    applyOnGlobal: (plural, resource) => apply(global, plural, resource),
    removeFromGlobal: (plural, name, resourceMesh) => remove(global, plural, name, resourceMesh),
    dataplanes: () => [...dataplanes],
    async startDataplane(dpOptions) {
      const cp = zoneCp(dpOptions.zone);
      const document = parse(dpOptions.yaml) as { type: string; mesh?: string; name: string };
      const token = dpOptions.token ?? (await dataplaneToken(cp, document.mesh ?? mesh, document.name));
      const dp = track(await startDataplaneProcess({ cp, yaml: dpOptions.yaml, token, ...(dpOptions.proxyType ? { proxyType: dpOptions.proxyType } : {}), ...(dpOptions.dns ? { dns: true } : {}) }));
      if (dpOptions.waitReady !== false) await dp.waitReady();
      return dp;
    },
    async restartDataplane(dp) {
      dataplanes.delete(dp);
      await dp.stop();
      return track(await startDataplaneProcess({ ...dp.options, cp: zoneCp(zoneOf(dp)) }));
    },
    async killZone(zone) {
      const cp = zoneCp(zone);
      await cp.kill();
      untrackChild(cp.pid);
      killedZones.add(zone);
    },
    async restartZone(zone) {
      const cp = zoneCp(zone);
      if (!killedZones.has(zone)) await cp.stop();
      untrackChild(cp.pid);
      const restarted = await cp.restart();
      trackChild(restarted.pid);
      killedZones.delete(zone);
      zones[zone] = restarted;
      return restarted;
    },
    async stop() {
      await Promise.all([...dataplanes].map((dp) => dp.stop()));
      await Promise.all([global, ...Object.values(zones)].map(async (cp) => {
        await cp.remove();
        untrackChild(cp.pid);
      }));
    },
  };
  const zoneCp = (zone: string) => {
    const cp = zones[zone];
    if (!cp) throw new Error(`zone "${zone}" is not in this cluster (${Object.keys(zones).join(", ")})`);
    return cp;
  };
  const zoneOf = (dp: DataplaneProcess) => Object.entries(zones).find(([, cp]) => cp.xdsAddress === dp.options.cp.xdsAddress)![0];

  try {
    await cluster.applyOnGlobal("meshes", { type: "Mesh", name: mesh, ...(options.meshBody ?? { ...builtinMtls, skipCreatingInitialPolicies: ["*"] }) });
    for (const cp of Object.values(zones)) await eventually(async () => assert.ok(await fetchResource(cp, "meshes", mesh), `mesh ${mesh} not yet in ${cp.apiUrl}`), PROPAGATION_MS);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** The dps' NACKs (`zonemesh_dp_ads_nack_total` lines) with their output's NACK messages: config the engine refused. */
export async function nacks(dps: DataplaneProcess[]): Promise<string[]> {
  const found: string[] = [];
  for (const dp of dps) {
    const lines = (await dp.stats()).split("\n").filter((line) => line.startsWith("zonemesh_dp_ads_nack_total"));
    if (lines.length > 0) found.push(`${dp.options.yaml.match(/name: (.*)/)?.[1]}: ${lines.join(", ")}; ${dp.output().split("\n").filter((line) => line.includes("NACK")).join("; ")}`);
  }
  return found;
}

/** A dataplane token for `mesh`/`name`, issued by the zone CP (the one the dataplane connects to). */
export async function dataplaneToken(cp: CpProcess, mesh: string, name: string): Promise<string> {
  const response = await call(cp.apiUrl, "POST", "/tokens/dataplane", { body: { mesh, name } });
  if (response.status !== 200) throw new Error(`dataplane token for ${mesh}/${name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as string;
}

/** Waits until the zone has every named policy of `plural` from the global (KDS carries them with zone-scoped names). */
export async function waitForPolicies(cp: CpProcess, plural: string, mesh: string, count: number): Promise<void> {
  await eventually(async () => assert.equal((await listResources(cp, plural, mesh)).length, count), PROPAGATION_MS);
}
