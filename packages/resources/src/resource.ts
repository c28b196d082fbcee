/** A resource as every part of zonemesh passes it around: meta fields plus the body (everything else). */
export interface Resource<Body extends object = object> {
  type: string;
  /** "" for Global-scoped types. */
  mesh: string;
  name: string;
  labels: Record<string, string>;
  body: Body;
}

/** Fields of Kuma's JSON that are meta, not body. */
export const META_FIELDS = ["type", "mesh", "name", "labels", "creationTime", "modificationTime"] as const;

/** The name a zone's resource has in its zone; the global stores it under a zone-scoped name (Kuma's label). */
export const DISPLAY_NAME_LABEL = "kuma.io/display-name";

/** The name a resource has where it was created: its zone's name for a KDS-synced copy, else the stored name. */
export function displayNameOf(resource: { name: string; labels: Record<string, string> }): string {
  return resource.labels[DISPLAY_NAME_LABEL] ?? resource.name;
}
