import { SERVICE_TAG, ZONE_TAG } from "@zonemesh/resources";
import type { DataplaneOverview } from "./cp-client";
import { dataplaneStatus, lastSeen } from "./dataplane-status";
import { displayNameOf } from "./display-name";

/** Where a dataplane runs: the zone label KDS stamps on synced resources, else its inbound's zone tag. */
export function dataplaneZone(overview: DataplaneOverview): string | null {
  const networking = overview.dataplane.networking;
  const tags = networking.inbound?.[0]?.tags ?? networking.gateway?.tags ?? {};
  return overview.labels[ZONE_TAG] ?? tags[ZONE_TAG] ?? null;
}

export function dataplaneServices(overview: DataplaneOverview): string[] {
  const networking = overview.dataplane.networking;
  const tagSets = networking.gateway ? [networking.gateway.tags] : (networking.inbound ?? []).map((inbound) => inbound.tags);
  return [...new Set(tagSets.map((tags) => tags[SERVICE_TAG]).filter((service): service is string => Boolean(service)))];
}

/** Every tag of every inbound (or the gateway), as `key -> values`. */
export function dataplaneTags(overview: DataplaneOverview): Record<string, string[]> {
  const networking = overview.dataplane.networking;
  const tagSets = networking.gateway ? [networking.gateway.tags] : (networking.inbound ?? []).map((inbound) => inbound.tags);
  const merged: Record<string, string[]> = {};
  for (const tags of tagSets) {
    for (const [key, value] of Object.entries(tags)) merged[key] = [...new Set([...(merged[key] ?? []), value])];
  }
  return merged;
}

export function dataplaneRow(overview: DataplaneOverview) {
  const insight = overview.dataplaneInsight;
  const version = insight.subscriptions?.at(-1)?.version as { kumaDp?: { version?: string }; envoy?: { version?: string } } | undefined;
  return {
    mesh: overview.mesh,
    name: overview.name,
    displayName: displayNameOf(overview),
    zone: dataplaneZone(overview),
    services: dataplaneServices(overview),
    kind: overview.dataplane.networking.gateway ? ("gateway" as const) : ("standard" as const),
    address: overview.dataplane.networking.address,
    tags: dataplaneTags(overview),
    status: dataplaneStatus(overview),
    lastSeen: lastSeen(insight),
    certificateExpiration: insight.mTLS?.certificateExpirationTime ?? null,
    dpVersion: version?.kumaDp?.version ?? null,
    envoyVersion: version?.envoy?.version ?? null,
  };
}
export type DataplaneRow = ReturnType<typeof dataplaneRow>;
