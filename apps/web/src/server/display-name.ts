// A zone's dataplanes and zone ingresses are stored on the global CP under zone-scoped names
// (`<name>-<hash of mesh, name and zone>`, see apps/cp/src/kds/zone-scoped-name.ts), with the name the zone gave
// them kept in a label. The GUI shows that name beside the zone; links and API calls keep the stored name.
import { displayNameOf, ZONE_TAG } from "@zonemesh/resources";

export { displayNameOf } from "@zonemesh/resources";

export interface Labelled {
  name: string;
  labels: Record<string, string>;
}

/** A resource's stored name (for links and API calls) with the name and zone to show. */
export function namedRow(resource: Labelled) {
  return { name: resource.name, displayName: displayNameOf(resource), zone: resource.labels[ZONE_TAG] ?? null };
}
