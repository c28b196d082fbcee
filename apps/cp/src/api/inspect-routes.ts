import type { FastifyRequest } from "fastify";
import {
  type DataplaneBody,
  type PolicyResource,
  type Resource,
  dataplanesForPolicy,
  policiesForDataplane,
  resourceTypes,
  rulesForDataplane,
} from "@zonemesh/resources";
import type { ResourceStore, StoredResource } from "@zonemesh/store";
import { jsonDiff } from "./json-diff";
import { listQueryParameters, nextPageUrl, parsePage } from "./list-query";
import { requireMesh } from "./mesh-exists";
import { notFound } from "./problem";
import { parseRequestBody } from "./put-resource";
import { type ApiRoute, type JsonSchema, pathParam } from "./route";
import { type ResourceType, resourceSchemaRef, wireOf } from "./resource-types";

const policyTypes = resourceTypes.filter((type) => type.isPolicy);

const resourceOf = <Body extends object>(stored: StoredResource): Resource<Body> => ({
  type: stored.type,
  mesh: stored.mesh,
  name: stored.name,
  labels: stored.labels,
  body: stored.spec as Body,
});

const metaOf = (resource: Resource) => ({ type: resource.type, mesh: resource.mesh, name: resource.name, labels: resource.labels });

async function dataplanesIn(store: ResourceStore, mesh: string): Promise<Resource<DataplaneBody>[]> {
  return (await store.list({ type: "Dataplane", mesh })).items.map((stored) => resourceOf<DataplaneBody>(stored));
}

async function policiesIn(store: ResourceStore, mesh: string): Promise<PolicyResource[]> {
  const lists = await Promise.all(policyTypes.map((type) => store.list({ type: type.name, mesh })));
  return lists.flatMap((list) => list.items.map((stored) => resourceOf<PolicyResource["body"]>(stored)));
}

export async function requireResource(store: ResourceStore, type: string, mesh: string, name: string): Promise<StoredResource> {
  await requireMesh(store, mesh, "mesh");
  const stored = await store.get({ type, mesh, name });
  if (!stored) throw notFound(`${type} "${name}" in mesh "${mesh}" not found`);
  return stored;
}

/** Paging, name and label filters of list endpoints, applied to a computed list. */
function pageOf<T extends Resource>(request: FastifyRequest, all: T[]) {
  const page = parsePage(request);
  const matching = all.filter(
    (r) =>
      (!page.nameContains || r.name.includes(page.nameContains)) &&
      Object.entries(page.labels ?? {}).every(([key, value]) => r.labels[key] === value),
  );
  return {
    total: matching.length,
    items: matching.slice(page.offset, page.offset + page.size).map(metaOf),
    next: nextPageUrl(request, page, matching.length),
  };
}

const metaSchema: JsonSchema = {
  type: "object",
  properties: { type: { type: "string" }, mesh: { type: "string" }, name: { type: "string" }, labels: { type: "object" } },
};
const metaPageSchema: JsonSchema = {
  type: "object",
  properties: { total: { type: "integer" }, items: { type: "array", items: metaSchema }, next: { type: ["string", "null"] } },
};

/** Inspect endpoints: what applies to a dataplane, what a policy selects, and a dry run for unsaved policies. All use the shared matcher. */
export function inspectRoutes(store: ResourceStore): ApiRoute[] {
  return [
    {
      method: "GET",
      path: "/meshes/{mesh}/dataplanes/{name}/_rules",
      operationId: "getDataplaneRules",
      summary: "The rules every policy type computes for a dataplane (Kuma's inspect rules)",
      tag: "Inspect",
      responses: {
        200: {
          description: "Per policy type: toRules (by destination), fromRules (per inbound, by source), inboundRules",
          schema: { type: "object", properties: { resource: metaSchema, rules: { type: "array", items: { type: "object" } } } },
        },
      },
      handler: async (request) => {
        const mesh = pathParam(request, "mesh");
        const dataplane = resourceOf<DataplaneBody>(await requireResource(store, "Dataplane", mesh, pathParam(request, "name")));
        return { resource: metaOf(dataplane), ...rulesForDataplane(dataplane, await policiesIn(store, mesh)) };
      },
    },
    {
      method: "GET",
      path: "/meshes/{mesh}/dataplanes/{name}/_policies",
      operationId: "getDataplanePolicies",
      summary: "Policies whose top-level targetRef selects a dataplane, in the order Kuma merges them",
      tag: "Inspect",
      responses: {
        200: { description: "Matching policies", schema: { type: "object", properties: { total: { type: "integer" }, items: { type: "array", items: { type: "object" } } } } },
      },
      handler: async (request) => {
        const mesh = pathParam(request, "mesh");
        const dataplane = resourceOf<DataplaneBody>(await requireResource(store, "Dataplane", mesh, pathParam(request, "name")));
        const matching = policiesForDataplane(dataplane, await policiesIn(store, mesh));
        const stored = await Promise.all(matching.map((p) => store.get({ type: p.type, mesh: p.mesh, name: p.name })));
        const items = stored.filter((s): s is StoredResource => s !== null).map(wireOf);
        return { total: items.length, items };
      },
    },
    ...policyTypes.flatMap((type) => policyInspectRoutes(store, type)),
  ];
}

function policyInspectRoutes(store: ResourceStore, type: ResourceType): ApiRoute[] {
  const base = `/meshes/{mesh}/${type.plural}/{name}`;
  return [
    {
      method: "GET",
      path: `${base}/_resources/dataplanes`,
      operationId: `get${type.name}Dataplanes`,
      summary: `Dataplanes a ${type.name} selects`,
      tag: "Inspect",
      query: listQueryParameters,
      responses: { 200: { description: "A page of selected dataplanes", schema: metaPageSchema } },
      handler: async (request) => {
        const mesh = pathParam(request, "mesh");
        const policy = resourceOf<PolicyResource["body"]>(await requireResource(store, type.name, mesh, pathParam(request, "name")));
        return pageOf(request, dataplanesForPolicy(policy, await dataplanesIn(store, mesh)));
      },
    },
    {
      method: "POST",
      path: `${base}/_preview`,
      operationId: `preview${type.name}`,
      summary: `Dry run of a ${type.name}: validation, the dataplanes it would select and the diff against the stored version`,
      description:
        "Nothing is written. Invalid bodies get the same 400 as a PUT. `dataplanes.added`/`removed` compare with what the stored version " +
        "(if any) selects; `changes` lists field-level differences from the stored version.",
      tag: "Inspect",
      requestBody: { description: `The proposed ${type.name}`, schema: resourceSchemaRef(type) },
      responses: {
        200: {
          description: "Preview",
          schema: {
            type: "object",
            properties: {
              stored: { oneOf: [resourceSchemaRef(type), { type: "null" }] },
              changes: { type: "array", items: { type: "object", properties: { path: { type: "string" }, op: { enum: ["add", "remove", "replace"] }, from: {}, to: {} } } },
              dataplanes: {
                type: "object",
                properties: { selected: { type: "array", items: metaSchema }, added: { type: "array", items: metaSchema }, removed: { type: "array", items: metaSchema } },
              },
            },
          },
        },
      },
      handler: async (request) => {
        const mesh = pathParam(request, "mesh");
        const key = { type: type.name, mesh, name: pathParam(request, "name") };
        const proposed = parseRequestBody(type, key, request.body) as PolicyResource;
        await requireMesh(store, mesh, "mesh", 400);
        const [stored, dataplanes] = await Promise.all([store.get(key), dataplanesIn(store, mesh)]);
        const selected = dataplanesForPolicy(proposed, dataplanes);
        const before = stored ? dataplanesForPolicy(resourceOf<PolicyResource["body"]>(stored), dataplanes) : [];
        const names = (list: Resource[]) => new Set(list.map((dp) => dp.name));
        const [selectedNames, beforeNames] = [names(selected), names(before)];
        return {
          stored: stored ? wireOf(stored) : null,
          changes: jsonDiff(stored ? { labels: stored.labels, ...(stored.spec as object) } : {}, { labels: proposed.labels, ...proposed.body }),
          dataplanes: {
            selected: selected.map(metaOf),
            added: selected.filter((dp) => !beforeNames.has(dp.name)).map(metaOf),
            removed: before.filter((dp) => !selectedNames.has(dp.name)).map(metaOf),
          },
        };
      },
    },
  ];
}
