// The tRPC procedures each GUI page calls, timed over HTTP against `next start` (plain JSON, no transformer).
import { percentile } from "../store/stats";

export interface PageCall {
  page: string;
  procedure: string;
  input?: object;
}

export const pageCalls: PageCall[] = [
  { page: "overview", procedure: "overview.summary" },
  { page: "zones", procedure: "zones.list", input: {} },
  { page: "zone ingresses", procedure: "zones.ingresses", input: {} },
  { page: "meshes", procedure: "meshes.list", input: {} },
  { page: "services", procedure: "services.list", input: { mesh: "default" } },
  { page: "services", procedure: "services.list", input: { mesh: "default", zone: "zone-1", offset: 500 } },
  { page: "dataplanes", procedure: "dataplanes.list", input: { mesh: "default" } },
  { page: "dataplanes", procedure: "dataplanes.list", input: { mesh: "default", offset: 9000 } },
  { page: "dataplanes", procedure: "dataplanes.list", input: { mesh: "default", zone: "zone-2" } },
  { page: "dataplanes", procedure: "dataplanes.list", input: { mesh: "default", service: "svc-42" } },
  { page: "dataplanes", procedure: "dataplanes.list", input: { mesh: "default", status: "partially_degraded" } },
  { page: "dataplanes", procedure: "dataplanes.list", input: { tag: "version:v1", status: "offline" } },
  { page: "dataplane detail", procedure: "dataplanes.get", input: { mesh: "default", name: "svc-42-42" } },
  { page: "policies", procedure: "policies.counts", input: { mesh: "default" } },
  { page: "policies", procedure: "policies.list", input: { type: "MeshTrafficPermission", mesh: "default" } },
  { page: "topology", procedure: "topology.graph", input: { mesh: "default" } },
  { page: "topology", procedure: "topology.graph", input: { mesh: "default", zone: "zone-1" } },
  { page: "topology", procedure: "topology.graph", input: { mesh: "default", search: "svc-42" } },
  { page: "topology", procedure: "topology.graph", input: { mesh: "default", collapse: false } },
  { page: "topology side panel", procedure: "dataplanes.list", input: { mesh: "default", service: "svc-42", zone: "zone-0", size: 20 } },
];

async function callOnce(guiUrl: string, call: PageCall) {
  const query = call.input ? `?input=${encodeURIComponent(JSON.stringify(call.input))}` : "";
  const response = await fetch(`${guiUrl}/api/trpc/${call.procedure}${query}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`${call.procedure}: ${response.status} ${text.slice(0, 300)}`);
}

/** One untimed call, then `samples` timed ones, one at a time. */
export async function timeCall(guiUrl: string, call: PageCall, samples: number) {
  await callOnce(guiUrl, call);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await callOnce(guiUrl, call);
    times.push(performance.now() - start);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}
