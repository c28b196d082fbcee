import type { StoredResource } from "@zonemesh/store";
import { ORIGIN_LABEL, ZONE_LABEL } from "../kds/sync-types";
import { badRequest } from "./problem";
import type { ResourceType } from "./resource-types";
import type { CpMode } from "./system-routes";

type Origin = "global" | "zone" | "local";

/**
 * Where a type's resources are authored, from its KDS direction. Types synced both ways split by kind:
 * policies are authored on the global CP, ZoneIngresses register in their zone.
 */
function originOf(type: ResourceType): Origin {
  switch (type.kds) {
    case "global-to-zone":
      return "global";
    case "zone-to-global":
      return "zone";
    case "both":
      return type.isPolicy ? "global" : "zone";
    case "none":
      return "local";
  }
}

export interface SyncRules {
  /**
   * Throws a 400 pointing at the control plane that owns the type when this one only receives it through KDS, or,
   * on a zone CP, when the stored resource is a copy synced from the global (another zone's ZoneIngress).
   */
  assertWritable(type: ResourceType, existing?: Pick<StoredResource, "labels"> | null): void;
  /**
   * The labels a written resource is stored with. On a zone CP, what the zone authors (Dataplanes, ZoneIngresses) gets
   * Kuma's `kuma.io/origin: zone` and `kuma.io/zone`, so that policies selecting dataplanes by labels see them here as
   * the global sees their synced copies.
   */
  labelsOf(type: ResourceType, labels: Record<string, string>): Record<string, string>;
}

export function syncRules(mode: CpMode, zone?: string): SyncRules {
  return {
    labelsOf(type, labels) {
      if (mode !== "zone" || originOf(type) !== "zone") return labels;
      return { ...labels, [ORIGIN_LABEL]: "zone", ...(zone ? { [ZONE_LABEL]: zone } : {}) };
    },
    assertWritable(type, existing) {
      const origin = originOf(type);
      if (mode === "zone" && origin === "global") {
        throw badRequest(`${type.name} is managed by the global control plane; apply it there`, [
          { field: "type", reason: `${type.name} is synced from the global control plane and read-only on a zone control plane` },
        ]);
      }
      if (mode === "global" && origin === "zone") {
        throw badRequest(`${type.name} is managed by the zone control planes; apply it on the zone where it runs`, [
          { field: "type", reason: `${type.name} is synced from zones and read-only on the global control plane` },
        ]);
      }
      if (mode === "zone" && existing?.labels[ORIGIN_LABEL] === "global") {
        throw badRequest(`this ${type.name} is a copy synced from the global control plane; change it where it was created`, [
          { field: `labels["${ORIGIN_LABEL}"]`, reason: "the stored resource has origin global and is read-only on a zone control plane" },
        ]);
      }
    },
  };
}
