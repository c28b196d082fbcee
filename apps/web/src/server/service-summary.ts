import type { DataplaneRow } from "./dataplane-row";

export interface ServiceSummary {
  mesh: string;
  name: string;
  zones: string[];
  /** Dataplanes serving it that are online (not offline, not partially degraded). */
  healthy: number;
  total: number;
  status: "online" | "partially_degraded" | "offline";
}

/** Services as Kuma derives them: the `kuma.io/service` tags of the dataplanes' inbounds, per mesh. */
export function summarizeServices(rows: DataplaneRow[]): ServiceSummary[] {
  const byKey = new Map<string, ServiceSummary>();
  for (const row of rows) {
    for (const service of row.services) {
      const key = `${row.mesh}/${service}`;
      const summary = byKey.get(key) ?? { mesh: row.mesh, name: service, zones: [], healthy: 0, total: 0, status: "offline" };
      summary.total++;
      if (row.status === "online") summary.healthy++;
      if (row.zone && !summary.zones.includes(row.zone)) summary.zones.push(row.zone);
      byKey.set(key, summary);
    }
  }
  return [...byKey.values()]
    .map((summary) => ({
      ...summary,
      zones: summary.zones.sort(),
      status: summary.healthy === 0 ? ("offline" as const) : summary.healthy < summary.total ? ("partially_degraded" as const) : ("online" as const),
    }))
    .sort((a, b) => a.mesh.localeCompare(b.mesh) || a.name.localeCompare(b.name));
}
