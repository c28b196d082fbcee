import { createHash } from "node:crypto";
import { packAny, type EncodedAny } from "../protos/any";
import { typeUrls, type TypeUrl } from "../protos/type-urls";
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret } from "../types/index";

/** What the control plane computes for one proxy. */
export interface SnapshotResources {
  listeners?: Listener[];
  clusters?: Cluster[];
  endpoints?: ClusterLoadAssignment[];
  routes?: RouteConfiguration[];
  secrets?: Secret[];
}

export interface CachedResource {
  name: string;
  /** Derived from the encoded bytes: equal content, equal version. */
  version: string;
  any: EncodedAny;
  /** The plain object it was built from (for consistency checks and config dumps). */
  resource: object;
}

export interface TypeSnapshot {
  /** Derived from the names and versions of all resources of the type. */
  version: string;
  resources: ReadonlyMap<string, CachedResource>;
}

/** One node's resources by type URL; immutable once built. */
export interface Snapshot {
  types: ReadonlyMap<TypeUrl, TypeSnapshot>;
}

const typeUrlByKey = {
  secrets: typeUrls.secret,
  clusters: typeUrls.cluster,
  endpoints: typeUrls.endpoint,
  listeners: typeUrls.listener,
  routes: typeUrls.route,
} as const satisfies Record<keyof SnapshotResources, TypeUrl>;

const nameOf = (resource: object): unknown =>
  "cluster_name" in resource ? resource.cluster_name : "name" in resource ? resource.name : undefined;

function hash(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("base64url").slice(0, 16);
}

/** Version of a set of resources; also used for the subset a SotW stream subscribed to. */
export function versionOf(resources: Iterable<CachedResource>): string {
  const lines = [...resources].map((r) => `${r.name}@${r.version}`).sort();
  return hash(lines.join("\n"));
}

// Encoding is the costly part of a snapshot and the control plane hands the same object to many
// proxies (one service's ClusterLoadAssignment, say), so each object is encoded once. Hence
// objects given to setSnapshot must not be mutated afterwards.
const encoded = new WeakMap<object, { typeUrl: TypeUrl; cached: CachedResource }>();

/**
 * A new generation builds new objects, most of them equal to the previous generation's (a proxy's inbound listener
 * after a change of outbound policy): objects are also looked up by content, a hash of their JSON, so equal content is
 * encoded once. Equal JSON is equal protobuf input, except for what JSON cannot tell apart (NaN, infinities, -0),
 * which the replacer spells out. Two generations of entries are kept: an entry not looked up for that long goes.
 */
const byContent = { recent: new Map<string, EncodedContent>(), older: new Map<string, EncodedContent>() };
interface EncodedContent {
  version: string;
  any: EncodedAny;
}
const CONTENT_CACHE_GENERATION = 50_000;

const exactNumbers = (_key: string, value: unknown) =>
  typeof value === "number" && (value === 0 ? Object.is(value, -0) : !Number.isFinite(value)) ? `${String(value)} (number)` : value;

function contentKey(typeUrl: TypeUrl, resource: object): string | undefined {
  let json: string;
  try {
    json = JSON.stringify(resource, exactNumbers);
  } catch {
    return undefined; // BigInt, cycles: encoded without the cache (and the encoder reports what is wrong)
  }
  return createHash("sha256").update(typeUrl).update("\n").update(json).digest("base64url");
}

function encodedByContent(key: string): EncodedContent | undefined {
  const recent = byContent.recent.get(key);
  if (recent) return recent;
  const older = byContent.older.get(key);
  if (older) rememberContent(key, older);
  return older;
}

function rememberContent(key: string, content: EncodedContent): void {
  if (byContent.recent.size >= CONTENT_CACHE_GENERATION) {
    byContent.older = byContent.recent;
    byContent.recent = new Map();
  }
  byContent.recent.set(key, content);
}

/** How errors name a resource: its type and name, or its position when it has none. */
function labelOf(typeUrl: TypeUrl, name: unknown, index: number): string {
  return `${typeUrl.slice(typeUrl.lastIndexOf(".") + 1)} ${typeof name === "string" && name ? JSON.stringify(name) : `#${index}`}`;
}

function encodeResource(typeUrl: TypeUrl, resource: object, index: number, name: string): CachedResource {
  const known = encoded.get(resource);
  if (known?.typeUrl === typeUrl) return known.cached;
  const key = contentKey(typeUrl, resource);
  let content = key === undefined ? undefined : encodedByContent(key);
  if (!content) {
    let any: EncodedAny;
    try {
      any = packAny(typeUrl, resource);
    } catch (error) {
      throw new Error(`${labelOf(typeUrl, name, index)}: ${(error as Error).message}`);
    }
    content = { version: hash(any.value), any };
    if (key !== undefined) rememberContent(key, content);
  }
  const cached = { name, version: content.version, any: content.any, resource };
  encoded.set(resource, { typeUrl, cached });
  return cached;
}

function buildTypeSnapshot(typeUrl: TypeUrl, resources: readonly object[], previous: TypeSnapshot | undefined): TypeSnapshot {
  const byName = new Map<string, CachedResource>();
  for (const [index, resource] of resources.entries()) {
    const name = nameOf(resource);
    // Labels are built only for errors: a string per resource of every snapshot was a measurable share of a push.
    if (typeof name !== "string" || name === "") throw new Error(`${labelOf(typeUrl, name, index)} has no name`);
    if (byName.has(name)) throw new Error(`${labelOf(typeUrl, name, index)} appears twice`);
    byName.set(name, encodeResource(typeUrl, resource, index, name));
  }
  // Most types of a proxy do not change in a regeneration: the previous one (same names, same versions) is kept as is.
  if (previous && sameVersions(previous.resources, byName)) return previous;
  return { version: versionOf(byName.values()), resources: byName };
}

function sameVersions(previous: ReadonlyMap<string, CachedResource>, current: ReadonlyMap<string, CachedResource>): boolean {
  if (previous.size !== current.size) return false;
  for (const [name, resource] of current) if (previous.get(name)?.version !== resource.version) return false;
  return true;
}

/**
 * Encodes and versions every resource; throws naming the resource and field of the first invalid one. Types equal to
 * those of `previous` (the node's last snapshot) are taken from it.
 */
export function buildSnapshot(resources: SnapshotResources, previous?: Snapshot): Snapshot {
  const types = new Map<TypeUrl, TypeSnapshot>();
  for (const [key, typeUrl] of Object.entries(typeUrlByKey) as [keyof SnapshotResources, TypeUrl][]) {
    types.set(typeUrl, buildTypeSnapshot(typeUrl, resources[key] ?? [], previous?.types.get(typeUrl)));
  }
  return { types };
}
