import type { ProxyDocument } from "./proxy-document";

/** PUTs the Dataplane (or ZoneIngress) to the zone CP's REST API, which accepts them from localhost. */
export async function registerProxy(apiUrl: string, document: ProxyDocument): Promise<void> {
  const path = document.type === "Dataplane" ? `/meshes/${encodeURIComponent(document.mesh)}/dataplanes/${encodeURIComponent(document.name)}` : `/zoneingresses/${encodeURIComponent(document.name)}`;
  const url = new URL(path, apiUrl);
  const response = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(document.wire) });
  if (!response.ok) throw new Error(`registering ${document.type} ${document.name} at ${url}: HTTP ${response.status}: ${(await response.text()).slice(0, 2000)}`);
}
