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
