import type { Metadata } from "@zonemesh/xds";

/** An endpoint's "envoy.lb" filter metadata (Kuma writes its tags there), each value as JSON so that values compare as strings. */
export type LbMetadata = ReadonlyMap<string, string>;

export function lbMetadataOf(metadata: Metadata | undefined): LbMetadata {
  const fields = metadata?.filter_metadata?.["envoy.lb"]?.fields ?? {};
  return new Map(Object.entries(fields).map(([name, value]) => [name, JSON.stringify(value)]));
}

/** Envoy's metadata label match: every entry of `match` is in `metadata` with an equal value (an empty match matches all). */
export function matchesLbMetadata(metadata: LbMetadata, match: LbMetadata): boolean {
  for (const [name, value] of match) if (metadata.get(name) !== value) return false;
  return true;
}
