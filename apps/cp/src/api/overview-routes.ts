import type { FastifyRequest } from "fastify";
import type { ResourceKey, ResourceStore, StoredResource } from "@zonemesh/store";
import { listQueryParameters, nextPageUrl, parsePage } from "./list-query";
import { requireMesh } from "./mesh-exists";
import { notFound } from "./problem";
import { type ApiRoute, type JsonSchema, pathParam } from "./route";

/** A resource joined with its insight, as Kuma's `+insights` endpoints return it. */
interface Overview {
  /** e.g. `Dataplane`; the insight type is `<type>Insight`, stored under the same mesh and name. */
  type: string;
  /** Kuma's path segment, e.g. `dataplanes+insights`. */
  segment: string;
  meshScoped: boolean;
  /** Property names in the overview item, e.g. `dataplane` and `dataplaneInsight`. */
  resourceField: string;
}

const overviews: Overview[] = [
  { type: "Dataplane", segment: "dataplanes+insights", meshScoped: true, resourceField: "dataplane" },
  { type: "Zone", segment: "zones+insights", meshScoped: false, resourceField: "zone" },
  { type: "ZoneIngress", segment: "zoneingresses+insights", meshScoped: false, resourceField: "zoneIngress" },
];

const overviewSchema = (o: Overview): JsonSchema => ({
  type: "object",
  required: ["type", "name", o.resourceField],
  properties: {
    type: { const: `${o.type}Overview` },
    name: { type: "string" },
    ...(o.meshScoped ? { mesh: { type: "string" } } : {}),
    [o.resourceField]: { $ref: `#/components/schemas/${o.type}` },
    [`${o.resourceField}Insight`]: { $ref: `#/components/schemas/${o.type}Insight` },
  },
});

async function toOverview(store: ResourceStore, o: Overview, resource: StoredResource) {
  const insight = await store.get({ type: `${o.type}Insight`, mesh: resource.mesh, name: resource.name });
  const mesh = o.meshScoped ? { mesh: resource.mesh } : {};
  return {
    type: `${o.type}Overview`,
    ...mesh,
    name: resource.name,
    creationTime: resource.creationTime.toISOString(),
    modificationTime: resource.modificationTime.toISOString(),
    labels: resource.labels,
    [o.resourceField]: { ...mesh, ...(resource.spec as object) },
    [`${o.resourceField}Insight`]: insight?.spec ?? {},
  };
}

/** Kuma's `dataplanes+insights`, `zones+insights` and `zoneingresses+insights`: lists and single items. */
export function overviewRoutes(store: ResourceStore): ApiRoute[] {
  return overviews.flatMap((o): ApiRoute[] => {
    const base = o.meshScoped ? `/meshes/{mesh}/${o.segment}` : `/${o.segment}`;
    const meshOf = (request: FastifyRequest) => (o.meshScoped ? pathParam(request, "mesh") : "");
    return [
      {
        method: "GET",
        path: base,
        operationId: `get${o.type}OverviewList`,
        summary: `List ${o.type} resources with their insights`,
        tag: "Insights",
        query: listQueryParameters,
        responses: {
          200: {
            description: `A page of ${o.type}Overview items`,
            schema: { type: "object", properties: { total: { type: "integer" }, items: { type: "array", items: overviewSchema(o) }, next: { type: ["string", "null"] } } },
          },
        },
        handler: async (request) => {
          const mesh = meshOf(request);
          if (o.meshScoped) await requireMesh(store, mesh, "mesh");
          const page = parsePage(request);
          const { total, items } = await store.list({ type: o.type, mesh, ...page });
          return { total, items: await Promise.all(items.map((item) => toOverview(store, o, item))), next: nextPageUrl(request, page, total) };
        },
      },
      {
        method: "GET",
        path: `${base}/{name}`,
        operationId: `get${o.type}Overview`,
        summary: `Get a ${o.type} with its insight`,
        tag: "Insights",
        responses: { 200: { description: `${o.type}Overview`, schema: overviewSchema(o) } },
        handler: async (request) => {
          const key: ResourceKey = { type: o.type, mesh: meshOf(request), name: pathParam(request, "name") };
          if (o.meshScoped) await requireMesh(store, key.mesh, "mesh");
          const resource = await store.get(key);
          if (!resource) throw notFound(`${o.type} "${key.name}" not found`);
          return toOverview(store, o, resource);
        },
      },
    ];
  });
}
