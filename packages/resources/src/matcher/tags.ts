import type { DataplaneBody } from "../types/dataplane";
import type { Resource } from "../resource";

export type Tags = Record<string, string>;

/** Kuma's TagSelector: every selector tag must be present with that value; "*" matches any value. */
export function tagsMatch(selector: Tags, tags: Tags): boolean {
  return Object.entries(selector).every(([key, value]) => key in tags && (value === "*" || tags[key] === value));
}

export interface InboundTags {
  /** The dataplane port of the inbound; 0 for a gateway's tag set. */
  port: number;
  /** The inbound's name, when it has one. */
  name?: string;
  tags: Tags;
}

/** The tag sets a dataplane presents to selectors: one per inbound (ignored inbounds excluded), plus its gateway's. */
export function dataplaneTags(dataplane: Resource<DataplaneBody>): InboundTags[] {
  const { inbound = [], gateway } = dataplane.body.networking;
  const sets = inbound.filter((entry) => entry.state !== "Ignored").map((entry) => ({ port: entry.port, ...(entry.name ? { name: entry.name } : {}), tags: entry.tags }));
  if (gateway) sets.push({ port: 0, tags: gateway.tags });
  return sets;
}
