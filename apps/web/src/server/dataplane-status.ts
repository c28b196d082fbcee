import type { DataplaneOverview } from "./cp-client";

export const DATAPLANE_STATUSES = ["online", "offline", "partially_degraded"] as const;
export type DataplaneStatus = (typeof DATAPLANE_STATUSES)[number];

/** True while the newest xDS/KDS subscription has not disconnected (Kuma's rule). */
export function isConnected(insight: { subscriptions?: { connectTime?: string; disconnectTime?: string | undefined }[] | undefined }): boolean {
  const newest = insight.subscriptions?.at(-1);
  return Boolean(newest?.connectTime) && !newest?.disconnectTime;
}

/** Kuma's dataplane status: offline when not connected, partially degraded when connected with some inbound not ready. */
export function dataplaneStatus(overview: Pick<DataplaneOverview, "dataplane" | "dataplaneInsight">): DataplaneStatus {
  if (!isConnected(overview.dataplaneInsight)) return "offline";
  const inbounds = overview.dataplane.networking.inbound ?? [];
  const notReady = inbounds.filter((inbound) => inbound.health?.ready === false || inbound.state === "NotReady");
  return notReady.length > 0 ? "partially_degraded" : "online";
}

/** The time of the newest subscription's last change: the last time the CP heard from the proxy or zone. */
export function lastSeen(insight: {
  subscriptions?: { connectTime?: string; disconnectTime?: string | undefined; status?: { lastUpdateTime?: string | undefined } }[] | undefined;
}): string | null {
  const newest = insight.subscriptions?.at(-1);
  if (!newest) return null;
  return newest.disconnectTime ?? newest.status?.lastUpdateTime ?? newest.connectTime ?? null;
}
