import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { ListQuery } from "@zonemesh/store";
import { parseInput } from "./parse-input";
import { badRequest } from "./problem";
import type { QueryParameter } from "./route";

export const maxPageSize = 1000;
const defaultPageSize = 100;
const labelFilterPrefix = "filter[labels.";

const pagingSchema = z.object({
  size: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  offset: z.coerce.number().int().min(0).default(0),
  name: z.string().optional(),
});

export type Page = Required<Pick<ListQuery, "offset" | "size">> & Pick<ListQuery, "labels" | "nameContains">;

export const listQueryParameters: QueryParameter[] = [
  { name: "size", description: `Page size (1-${maxPageSize}, default ${defaultPageSize})`, schema: { type: "integer", minimum: 1, maximum: maxPageSize } },
  { name: "offset", description: "Index of the first item", schema: { type: "integer", minimum: 0 } },
  { name: "name", description: "Only resources whose name contains this", schema: { type: "string" } },
  {
    name: "filter[labels.{key}]",
    description: "Only resources whose label {key} equals the value, as Kuma's `filter[labels.kuma.io/zone]=east`; repeat for several labels",
    schema: { type: "string" },
  },
];

/** Reads Kuma's list parameters: `size`, `offset`, `name` (substring) and `filter[labels.<key>]=<value>`. */
export function parsePage(request: FastifyRequest): Page {
  const query = request.query as Record<string, string | string[]>;
  const single = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1] : v]));
  const paging = parseInput(pagingSchema, single, "list query");
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(single)) {
    if (!key.startsWith("filter[")) continue;
    if (!key.startsWith(labelFilterPrefix) || !key.endsWith("]") || key.length === labelFilterPrefix.length + 1) {
      throw badRequest("unsupported filter", [{ field: key, reason: "filters are only supported on labels: filter[labels.<key>]=<value>" }]);
    }
    labels[key.slice(labelFilterPrefix.length, -1)] = value ?? "";
  }
  return {
    offset: paging.offset,
    size: paging.size,
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(paging.name ? { nameContains: paging.name } : {}),
  };
}

/** Kuma's `next`: the absolute URL of the following page, null on the last one. */
export function nextPageUrl(request: FastifyRequest, page: Page, total: number): string | null {
  if (page.offset + page.size >= total) return null;
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.set("offset", String(page.offset + page.size));
  url.searchParams.set("size", String(page.size));
  return url.toString();
}
