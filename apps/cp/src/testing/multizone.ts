// A global CP and zone CPs as real processes, and the REST calls multi-zone tests make against them.
import { call } from "../api/testing";
import { startCpProcess, type CpProcess } from "./cp-process";

export interface MultiZone {
  global: CpProcess;
  zones: Record<string, CpProcess>;
}

/** Issues a zone token on the global CP (as `POST /tokens/zone`). */
export async function issueZoneToken(global: CpProcess, zone: string): Promise<string> {
  const response = await call(global.apiUrl, "POST", "/tokens/zone", { body: { zone } });
  if (response.status !== 200) throw new Error(`zone token for "${zone}" refused: ${JSON.stringify(response.body)}`);
  return response.body as string;
}

export function startZone(global: CpProcess, zone: string, token: string): Promise<CpProcess> {
  return startCpProcess({ mode: "zone", zone, globalKdsAddress: global.kdsAddress, zoneToken: token });
}

/** Starts the global (on `globalStoreUrl`, or SQLite) and one zone CP per name, each with its own SQLite store. */
export async function startMultiZone(zoneNames: string[], options: { globalStoreUrl?: string } = {}): Promise<MultiZone> {
  const global = await startCpProcess({ mode: "global", ...(options.globalStoreUrl ? { storeUrl: options.globalStoreUrl } : {}) });
  const started: CpProcess[] = [];
  try {
    const tokens = await Promise.all(zoneNames.map((zone) => issueZoneToken(global, zone)));
    started.push(...(await Promise.all(zoneNames.map((zone, i) => startZone(global, zone, tokens[i]!)))));
  } catch (error) {
    await Promise.all([global, ...started].map((cp) => cp.remove()));
    throw error;
  }
  return { global, zones: Object.fromEntries(zoneNames.map((zone, i) => [zone, started[i]!])) };
}

/** Kuma's REST path of a resource: `/meshes/{mesh}/{plural}/{name}`, or `/{plural}/{name}` for Global-scoped types. */
export const resourcePath = (plural: string, name: string, mesh?: string) => (mesh ? `/meshes/${mesh}/${plural}/${name}` : `/${plural}/${name}`);

/** PUTs a resource given in Kuma's JSON; throws with the API's answer unless it was accepted. */
export async function apply(cp: CpProcess, plural: string, resource: { name: string; mesh?: string } & Record<string, unknown>): Promise<void> {
  const response = await call(cp.apiUrl, "PUT", resourcePath(plural, resource.name, resource.mesh), { body: resource });
  if (response.status !== 200 && response.status !== 201) throw new Error(`PUT ${plural}/${resource.name}: ${response.status} ${JSON.stringify(response.body)}`);
}

export async function remove(cp: CpProcess, plural: string, name: string, mesh?: string): Promise<void> {
  const response = await call(cp.apiUrl, "DELETE", resourcePath(plural, name, mesh));
  if (response.status !== 200) throw new Error(`DELETE ${plural}/${name}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The resource, or undefined on 404. */
export async function fetchResource(cp: CpProcess, plural: string, name: string, mesh?: string): Promise<any> {
  const response = await call(cp.apiUrl, "GET", resourcePath(plural, name, mesh));
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`GET ${plural}/${name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function listResources(cp: CpProcess, plural: string, mesh?: string): Promise<any[]> {
  const response = await call(cp.apiUrl, "GET", mesh ? `/meshes/${mesh}/${plural}?size=1000` : `/${plural}?size=1000`);
  if (response.status !== 200) throw new Error(`GET ${plural}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.items;
}
