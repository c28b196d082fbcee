// Which resource types KDS carries in each direction, and the labels that mark a synced copy (Kuma's).
import { resourceTypes } from "@zonemesh/resources";

export { DISPLAY_NAME_LABEL } from "@zonemesh/resources";

export const ORIGIN_LABEL = "kuma.io/origin";
export const ZONE_LABEL = "kuma.io/zone";

/**
 * Global -> zone: Mesh, Secrets (the mesh CAs), every policy, and ZoneIngresses (those of the other zones).
 * GlobalSecrets stay on the global: they hold its token signing keys.
 */
export const globalToZoneTypes: readonly string[] = resourceTypes
  .filter((t) => (t.kds === "global-to-zone" && t.name !== "GlobalSecret") || (t.kds === "both" && t.isPolicy) || t.name === "ZoneIngress")
  .map((t) => t.name);

/** Zone -> global: what runs in a zone (Dataplanes, ZoneIngresses, ZoneEgresses) and their insights. */
export const zoneToGlobalTypes: readonly string[] = resourceTypes
  .filter((t) => t.kds === "zone-to-global" || (t.kds === "both" && !t.isPolicy))
  .map((t) => t.name);
