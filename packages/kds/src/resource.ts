/** A resource as the protocol moves it: identified by mesh and name within a type, with a JSON body. */
export interface KdsResource {
  mesh: string;
  name: string;
  labels: Record<string, string>;
  /** Any JSON-serializable value. */
  body: unknown;
}

export interface VersionedResource extends KdsResource {
  /** Content hash of labels and body (see `resourceVersion`). */
  version: string;
}

export interface ResourceKey {
  mesh: string;
  name: string;
}

/** What one response changes on the receiving side for one type. */
export interface ResourceDelta {
  upserted: VersionedResource[];
  removed: ResourceKey[];
}

export function keyString(key: ResourceKey): string {
  return JSON.stringify([key.mesh, key.name]);
}

export function parseKeyString(key: string): ResourceKey {
  const [mesh, name] = JSON.parse(key) as [string, string];
  return { mesh, name };
}
