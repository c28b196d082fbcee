import type { FastifyRequest } from "fastify";
import type { ListQuery, ResourceKey, ResourceStore, StoredResource } from "@zonemesh/store";
import { type DataplaneFilter, dataplaneFilterParameters, matchesIndexed, parseDataplaneFilter } from "./dataplane-filter";
import type { DataplaneIndex } from "./dataplane-index";
import { type Page, listQueryParameters, nextPageUrl, parsePage } from "./list-query";
import { requireMesh } from "./mesh-exists";
import { notFound } from "./problem";
import { type ApiRoute, type JsonSchema, pathParam } from "./route";
import { withZoneIngressAliases } from "./zone-ingress-aliases";

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

interface Joined {
  resource: StoredResource;
  /** The insight's body; undefined when the resource has none yet. */
  insight: unknown;
}

function toOverview(o: Overview, { resource, insight }: Joined) {
  const mesh = o.meshScoped ? { mesh: resource.mesh } : {};
  return {
    type: `${o.type}Overview`,
    ...mesh,
    name: resource.name,
    creationTime: resource.creationTime.toISOString(),
    modificationTime: resource.modificationTime.toISOString(),
    labels: resource.labels,
    [o.resourceField]: { ...mesh, ...(resource.spec as object) },
    [`${o.resourceField}Insight`]: insight ?? {},
  };
}

const keyOf = (resource: StoredResource) => `${resource.mesh}/${resource.name}`;

/**
 * The insights of `resources` (a page of `query`), in one list read. An insight has its resource's mesh and name and
 * the store orders lists by name then mesh, so without label filters the same page of the insight list holds exactly
 * them. When it does not (a resource without an insight yet, label filters), every insight of the mesh is read.
 */
async function insightsOf(store: ResourceStore, o: Overview, query: ListQuery, resources: StoredResource[], aligned: StoredResource[] | undefined) {
  if (aligned && aligned.length === resources.length && aligned.every((insight, i) => keyOf(insight) === keyOf(resources[i]!))) {
    return new Map(aligned.map((insight) => [keyOf(insight), insight.spec]));
  }
  const all = await store.list({ type: `${o.type}Insight`, ...(query.mesh === undefined ? {} : { mesh: query.mesh }), ...(query.nameContains ? { nameContains: query.nameContains } : {}) });
  return new Map(all.items.map((insight) => [keyOf(insight), insight.spec]));
}

/** One page of zones or zone ingresses joined with their insights (no read per item). */
async function overviewPage(store: ResourceStore, o: Overview, page: Page) {
  const query: ListQuery = {
    type: o.type,
    mesh: "",
    ...(page.labels ? { labels: page.labels } : {}),
    ...(page.nameContains ? { nameContains: page.nameContains } : {}),
  };
  const range = { offset: page.offset, size: page.size };
  const [resources, sameRange] = await Promise.all([
    store.list({ ...query, ...range }),
    query.labels ? undefined : store.list({ ...query, type: `${o.type}Insight`, ...range }),
  ]);
  const insights = await insightsOf(store, o, query, resources.items, sameRange?.items);
  return { total: resources.total, items: resources.items.map((resource): Joined => ({ resource, insight: insights.get(keyOf(resource)) })) };
}

/** One page of dataplanes from the in-memory index, filtered (name, labels, zone, service, tag, status) before paging. */
async function dataplanePage(index: DataplaneIndex, mesh: string | undefined, page: Page, filter: DataplaneFilter) {
  const labels = Object.entries(page.labels ?? {});
  const dataplanes = await index.all(mesh);
  const filtered = Boolean(page.nameContains || labels.length || filter.zone || filter.service || filter.status || filter.tags.length);
  const matching = !filtered
    ? dataplanes
    : dataplanes.filter(
        (dp) =>
          (!page.nameContains || dp.resource.name.includes(page.nameContains)) &&
          labels.every(([key, value]) => dp.resource.labels[key] === value) &&
          matchesIndexed(dp, filter),
      );
  return { total: matching.length, items: matching.slice(page.offset, page.offset + page.size) };
}

function listRoute(store: ResourceStore, index: DataplaneIndex, o: Overview, path: string, acrossMeshes: boolean): ApiRoute {
  const isDataplane = o.type === "Dataplane";
  return {
    method: "GET",
    path,
    operationId: `get${o.type}OverviewList${acrossMeshes ? "AcrossMeshes" : ""}`,
    summary: `List ${o.type} resources with their insights${acrossMeshes ? " across all meshes" : ""}`,
    tag: "Insights",
    query: isDataplane ? [...listQueryParameters, ...dataplaneFilterParameters] : listQueryParameters,
    responses: {
      200: {
        description: `A page of ${o.type}Overview items; \`total\` counts the items that match every filter`,
        schema: { type: "object", properties: { total: { type: "integer" }, items: { type: "array", items: overviewSchema(o) }, next: { type: ["string", "null"] } } },
      },
    },
    handler: async (request) => {
      const mesh = !o.meshScoped ? "" : acrossMeshes ? undefined : pathParam(request, "mesh");
      if (mesh) await requireMesh(store, mesh, "mesh");
      const page = parsePage(request);
      const { total, items } = isDataplane ? await dataplanePage(index, mesh, page, parseDataplaneFilter(request)) : await overviewPage(store, o, page);
      return { total, items: items.map((item) => toOverview(o, item)), next: nextPageUrl(request, page, total) };
    },
  };
}

/** Kuma's `dataplanes+insights` (per mesh and across meshes), `zones+insights` and `zoneingresses+insights`: lists and single items. */
export function overviewRoutes(store: ResourceStore, index: DataplaneIndex): ApiRoute[] {
  return withZoneIngressAliases(
    overviews.flatMap((o): ApiRoute[] => {
      const base = o.meshScoped ? `/meshes/{mesh}/${o.segment}` : `/${o.segment}`;
      const meshOf = (request: FastifyRequest) => (o.meshScoped ? pathParam(request, "mesh") : "");
      return [
        listRoute(store, index, o, base, false),
        ...(o.meshScoped ? [listRoute(store, index, o, `/${o.segment}`, true)] : []),
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
            const [resource, insight] = await Promise.all([store.get(key), store.get({ ...key, type: `${o.type}Insight` })]);
            if (!resource) throw notFound(`${o.type} "${key.name}" not found`);
            return toOverview(o, { resource, insight: insight?.spec });
          },
        },
      ];
    }),
  );
}
