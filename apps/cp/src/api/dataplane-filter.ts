import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { SERVICE_TAG, ZONE_TAG, type DataplaneBody } from "@zonemesh/resources";
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

/** The zone filter is a label filter the store applies; the others look into the dataplane and need every item. */
export const needsScan = (filter: DataplaneFilter) => Boolean(filter.service || filter.status || filter.tags.length);

export const zoneLabels = (filter: DataplaneFilter): Record<string, string> => (filter.zone ? { [ZONE_TAG]: filter.zone } : {});

export function matchesSpec(dataplane: DataplaneBody, filter: DataplaneFilter): boolean {
  const networking = dataplane.networking;
  const tagSets = networking.gateway ? [networking.gateway.tags] : (networking.inbound ?? []).map((inbound) => inbound.tags);
  if (filter.service && !tagSets.some((tags) => tags[SERVICE_TAG] === filter.service)) return false;
  return filter.tags.every(({ key, value }) => tagSets.some((tags) => key in tags && (value === undefined || tags[key] === value)));
}
