import type { DataplaneBody } from "@zonemesh/resources";
import { isOnline } from "./online-status";

export const dataplaneStatuses = ["online", "offline", "partiallyDegraded"] as const;
export type DataplaneStatus = (typeof dataplaneStatuses)[number];

/** Kuma's dataplane status: offline when not connected, partially degraded when connected with some inbound not ready. */
export function dataplaneStatus(dataplane: DataplaneBody, insightBody: unknown): DataplaneStatus {
  if (!isOnline(insightBody)) return "offline";
  const inbounds = dataplane.networking.inbound ?? [];
  const notReady = inbounds.some((inbound) => inbound.health?.ready === false || inbound.state === "NotReady");
  return notReady ? "partiallyDegraded" : "online";
}
