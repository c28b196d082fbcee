import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { SERVICE_TAG, ZONE_TAG } from "@zonemesh/resources";
import type { IndexedDataplane } from "./dataplane-index";
import { type DataplaneStatus, dataplaneStatuses } from "./dataplane-status";
import { parseInput } from "./parse-input";
import type { QueryParameter } from "./route";

const tagFilter = z.string().regex(/^[^:]+(:.*)?$/, { error: "must be key:value or key" });

const querySchema = z.object({
  service: z.string().min(1).optional(),
  // Kuma's `tag` parameter, repeatable; every one must match.
  tag: z.union([tagFilter, z.array(tagFilter)]).optional(),
  zone: z.string().min(1).optional(),
  status: z.enum(dataplaneStatuses).optional(),
});

/** What `dataplanes+insights` lists can be narrowed by, besides the generic name and label filters. */
export interface DataplaneFilter {
  service?: string;
  tags: { key: string; value?: string }[];
  zone?: string;
  status?: DataplaneStatus;
}

export const dataplaneFilterParameters: QueryParameter[] = [
  { name: "service", description: "Only dataplanes with an inbound (or a gateway) whose `kuma.io/service` tag is this", schema: { type: "string" } },
  {
    name: "tag",
    description: "Kuma's tag filter: `key:value`, or `key` for any value, matched against the tags of every inbound (or the gateway); repeat for several, all must match",
    schema: { type: "array", items: { type: "string" } },
  },
  { name: "zone", description: "Only dataplanes whose `kuma.io/zone` label is this (the zone that synced them)", schema: { type: "string" } },
  {
    name: "status",
    description: "`online`, `offline`, or `partiallyDegraded` (connected, but some inbound has `health.ready: false`)",
    schema: { type: "string", enum: [...dataplaneStatuses] },
  },
];

export function parseDataplaneFilter(request: FastifyRequest): DataplaneFilter {
  const query = request.query as Record<string, unknown>;
  const parsed = parseInput(querySchema, { service: query.service, tag: query.tag, zone: query.zone, status: query.status }, "dataplane filter");
  const tags = [parsed.tag ?? []].flat().map((tag) => {
    const [key = "", ...value] = tag.split(":");
    return value.length ? { key, value: value.join(":") } : { key };
  });
  return { tags, ...(parsed.service ? { service: parsed.service } : {}), ...(parsed.zone ? { zone: parsed.zone } : {}), ...(parsed.status ? { status: parsed.status } : {}) };
}

/** The zone filter compares the `kuma.io/zone` label (the zone that synced the dataplane), as Kuma's does. */
export function matchesIndexed(dp: IndexedDataplane, filter: DataplaneFilter): boolean {
  if (filter.zone && dp.resource.labels[ZONE_TAG] !== filter.zone) return false;
  if (filter.status && dp.status !== filter.status) return false;
  if (filter.service && !dp.tagSets.some((tags) => tags[SERVICE_TAG] === filter.service)) return false;
  return filter.tags.every(({ key, value }) => dp.tagSets.some((tags) => key in tags && (value === undefined || tags[key] === value)));
}
