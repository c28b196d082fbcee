// A zone's dataplanes and zone ingresses are stored on the global CP under zone-scoped names
// (`<name>-<hash of mesh, name and zone>`, see apps/cp/src/kds/zone-scoped-name.ts), with the name the zone gave
// them kept in a label. The GUI shows that name beside the zone; links and API calls keep the stored name.
import { ZONE_TAG } from "@zonemesh/resources";

export const DISPLAY_NAME_LABEL = "kuma.io/display-name";

export interface Labelled {
  name: string;
  labels: Record<string, string>;
}

/** The name to show: the zone's own name when KDS synced the resource, else the stored name. */
export function displayNameOf(resource: Labelled): string {
  return resource.labels[DISPLAY_NAME_LABEL] ?? resource.name;
}

/** A resource's stored name (for links and API calls) with the name and zone to show. */
export function namedRow(resource: Labelled) {
  return { name: resource.name, displayName: displayNameOf(resource), zone: resource.labels[ZONE_TAG] ?? null };
}
