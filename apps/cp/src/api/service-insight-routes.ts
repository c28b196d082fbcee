import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ResourceStore } from "@zonemesh/store";
import type { DataplaneIndex } from "./dataplane-index";
import { type Page, listQueryParameters, nextPageUrl, parsePage } from "./list-query";
import { type ListVersions, notModified, notModifiedResponse } from "./list-versions";
import { requireMesh } from "./mesh-exists";
import { parseInput } from "./parse-input";
import { badRequest, notFound } from "./problem";
import { type ApiRoute, type JsonSchema, type QueryParameter, pathParam } from "./route";
import { type ServiceInsight, cachedServiceInsights, serviceStatuses } from "./service-insights";

const statSchema: JsonSchema = {
  type: "object",
  description: "Inbounds serving the service: online when the dataplane is connected and the inbound ready; online + offline = total",
  properties: { online: { type: "integer" }, offline: { type: "integer" }, total: { type: "integer" } },
};

const serviceInsightSchema: JsonSchema = {
  type: "object",
  required: ["type", "mesh", "name", "status", "dataplanes", "zones"],
  properties: {
    type: { const: "ServiceInsight" },
    mesh: { type: "string" },
    name: { type: "string", description: "The `kuma.io/service` tag" },
    serviceType: { type: "string", enum: ["internal", "gateway_builtin", "gateway_delegated"] },
    status: { type: "string", enum: [...serviceStatuses], description: "online: every inbound online; offline: none; partially_degraded: some" },
    dataplanes: statSchema,
    issuedBackends: { type: "object", additionalProperties: { type: "integer" }, description: "Dataplanes per CA backend that issued their certificate" },
    zones: {
      type: "array",
      description: "The zones it runs in (`\"\"` for dataplanes without a zone), with the same counts per zone",
      items: { type: "object", properties: { name: { type: "string" }, dataplanes: statSchema } },
    },
  },
};

const zoneParameter: QueryParameter = { name: "zone", description: "Only services with a dataplane in this zone", schema: { type: "string" } };
const queryParameters = [...listQueryParameters.filter((p) => !p.name.startsWith("filter[")), zoneParameter];
const zoneSchema = z.object({ zone: z.string().min(1).optional() });

function parseServiceQuery(request: FastifyRequest): Page & { zone?: string } {
  const page = parsePage(request);
  if (page.labels) {
    const field = `filter[labels.${Object.keys(page.labels)[0]}]`;
    throw badRequest("unsupported filter", [{ field, reason: "service insights are filtered by name and zone, not labels" }]);
  }
  const { zone } = parseInput(zoneSchema, { zone: (request.query as Record<string, unknown>).zone }, "service insight filter");
  return { ...page, ...(zone ? { zone } : {}) };
}

const matches = (service: ServiceInsight, query: { nameContains?: string; zone?: string }) =>
  (!query.nameContains || service.name.includes(query.nameContains)) && (!query.zone || service.zones.some((zone) => zone.name === query.zone));

const listResponse = (description: string) => ({
  ...notModifiedResponse,
  200: {
    description,
    schema: { type: "object", properties: { total: { type: "integer" }, items: { type: "array", items: serviceInsightSchema }, next: { type: ["string", "null"] } } },
  },
});

const description =
  "As in Kuma, recomputed at most once per second after a change: counts may lag a change by up to a second. The `ETag` changes with each recompute: " +
  "send it back as `If-None-Match` to get 304 while nothing changed.";

/** Kuma's `/meshes/{mesh}/service-insights` (paged, filtered by name and zone on the CP), one service, and across meshes. */
export function serviceInsightRoutes(store: ResourceStore, index: DataplaneIndex, versions: ListVersions): ApiRoute[] {
  const insights = cachedServiceInsights(index);
  const page = async (request: FastifyRequest, reply: FastifyReply, select: (byMesh: Map<string, ServiceInsight[]>) => ServiceInsight[]) => {
    const query = parseServiceQuery(request);
    const { generation, byMesh } = await insights();
    if (notModified(request, reply, versions.etagFor("service-insights", generation))) return reply;
    const services = select(byMesh);
    const matching = services.filter((service) => matches(service, query));
    return { total: matching.length, items: matching.slice(query.offset, query.offset + query.size), next: nextPageUrl(request, query, matching.length) };
  };
  return [
    {
      method: "GET",
      path: "/meshes/{mesh}/service-insights",
      operationId: "getServiceInsightList",
      summary: "List the services of a mesh with their dataplane counts, status and zones",
      description,
      tag: "Insights",
      query: queryParameters,
      responses: listResponse("A page of ServiceInsight items ordered by name; `total` counts the services that match every filter"),
      handler: async (request, reply) => {
        const mesh = pathParam(request, "mesh");
        await requireMesh(store, mesh, "mesh");
        return page(request, reply, (byMesh) => byMesh.get(mesh) ?? []);
      },
    },
    {
      method: "GET",
      path: "/service-insights",
      operationId: "getServiceInsightListAcrossMeshes",
      summary: "List the services of every mesh with their dataplane counts, status and zones",
      description,
      tag: "Insights",
      query: queryParameters,
      responses: listResponse("A page of ServiceInsight items ordered by mesh, then name"),
      handler: async (request, reply) => page(request, reply, (byMesh) => [...byMesh.keys()].sort().flatMap((mesh) => byMesh.get(mesh)!)),
    },
    {
      method: "GET",
      path: "/meshes/{mesh}/service-insights/{name}",
      operationId: "getServiceInsight",
      summary: "One service of a mesh with its dataplane counts, status and zones",
      description,
      tag: "Insights",
      responses: { 200: { description: "ServiceInsight", schema: serviceInsightSchema } },
      handler: async (request) => {
        const [mesh, name] = [pathParam(request, "mesh"), pathParam(request, "name")];
        await requireMesh(store, mesh, "mesh");
        const service = (await insights()).byMesh.get(mesh)?.find((candidate) => candidate.name === name);
        if (!service) throw notFound(`service "${name}" has no dataplane in mesh "${mesh}"`);
        return service;
      },
    },
  ];
}
