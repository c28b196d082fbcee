import type { FastifyReply, FastifyRequest } from "fastify";
import { resourceTypes } from "@zonemesh/resources";
import { ConflictError, type ResourceKey, type ResourceStore, type StoredResource } from "@zonemesh/store";
import { etagOf, ifMatchVersion } from "./etag";
import { listQueryParameters, nextPageUrl, parsePage } from "./list-query";
import { type ListVersions, notModified, notModifiedResponse } from "./list-versions";
import { requireMesh } from "./mesh-exists";
import { notFound } from "./problem";
import { type ApiRoute, type JsonSchema, pathParam } from "./route";
import { type ResourceType, resourceSchemaRef, wireOf } from "./resource-types";
import { putResource } from "./put-resource";
import type { SyncRules } from "./sync-rules";
import { withZoneIngressAliases } from "./zone-ingress-aliases";

export interface ResourceRouteDeps {
  store: ResourceStore;
  sync: SyncRules;
  /** Lists answer If-None-Match with 304 when their type has not changed. */
  versions: ListVersions;
}

const listSchema = (itemRef: JsonSchema): JsonSchema => ({
  type: "object",
  required: ["total", "items", "next"],
  properties: {
    total: { type: "integer" },
    items: { type: "array", items: itemRef },
    next: { type: ["string", "null"], description: "URL of the next page; null on the last page" },
  },
});

/** GET/PUT/DELETE of single resources and paged lists, for every type in the registry, at Kuma's paths. */
export function resourceRoutes(deps: ResourceRouteDeps): ApiRoute[] {
  return withZoneIngressAliases(resourceTypes.flatMap((type) => (type.scope === "Mesh" ? meshScopedRoutes(type, deps) : globalRoutes(type, deps))));
}

function meshScopedRoutes(type: ResourceType, deps: ResourceRouteDeps): ApiRoute[] {
  const keyOf = (request: FastifyRequest): ResourceKey => ({ type: type.name, mesh: pathParam(request, "mesh"), name: pathParam(request, "name") });
  return [
    listRoute(type, `/meshes/{mesh}/${type.plural}`, `get${type.name}List`, `List ${type.name} resources in a mesh`, deps, (r) => pathParam(r, "mesh")),
    listRoute(type, `/${type.plural}`, `get${type.name}ListAcrossMeshes`, `List ${type.name} resources across all meshes`, deps, () => undefined),
    ...itemRoutes(type, `/meshes/{mesh}/${type.plural}/{name}`, keyOf, deps),
  ];
}

function globalRoutes(type: ResourceType, deps: ResourceRouteDeps): ApiRoute[] {
  const keyOf = (request: FastifyRequest): ResourceKey => ({ type: type.name, mesh: "", name: pathParam(request, "name") });
  return [
    listRoute(type, `/${type.plural}`, `get${type.name}List`, `List ${type.name} resources`, deps, () => ""),
    ...itemRoutes(type, `/${type.plural}/{name}`, keyOf, deps),
  ];
}

function listRoute(
  type: ResourceType,
  path: string,
  operationId: string,
  summary: string,
  { store, versions }: ResourceRouteDeps,
  meshOf: (request: FastifyRequest) => string | undefined,
): ApiRoute {
  return {
    method: "GET",
    path,
    operationId,
    summary,
    description: "The `ETag` changes with every change of this type: send it back as `If-None-Match` to get 304 while nothing changed.",
    tag: type.name,
    query: listQueryParameters,
    responses: { 200: { description: `A page of ${type.name} resources`, schema: listSchema(resourceSchemaRef(type)) }, ...notModifiedResponse },
    handler: async (request, reply) => {
      const mesh = meshOf(request);
      if (mesh) await requireMesh(store, mesh, "mesh");
      const page = parsePage(request);
      if (notModified(request, reply, versions.etagOf(type.name))) return reply;
      const { total, items } = await store.list({ type: type.name, ...(mesh === undefined ? {} : { mesh }), ...page });
      return { total, items: items.map(wireOf), next: nextPageUrl(request, page, total) };
    },
  };
}

function itemRoutes(
  type: ResourceType,
  path: string,
  keyOf: (request: FastifyRequest) => ResourceKey,
  deps: ResourceRouteDeps,
): ApiRoute[] {
  const { store, sync } = deps;
  const found = async (request: FastifyRequest): Promise<StoredResource> => {
    const key = keyOf(request);
    if (type.scope === "Mesh") await requireMesh(store, key.mesh, "mesh");
    const stored = await store.get(key);
    if (!stored) throw notFound(`${type.name} "${key.name}"${key.mesh ? ` in mesh "${key.mesh}"` : ""} not found`);
    return stored;
  };
  const get: ApiRoute = {
    method: "GET",
    path,
    operationId: `get${type.name}`,
    summary: `Get a ${type.name}`,
    description: "The `ETag` response header carries the resource's version; send it back as `If-Match` on PUT/DELETE to detect concurrent changes.",
    tag: type.name,
    responses: { 200: { description: type.name, schema: resourceSchemaRef(type) } },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const stored = await found(request);
      return reply.header("etag", etagOf(stored.version)).send(wireOf(stored));
    },
  };
  return [
    get,
    {
      method: "PUT",
      path,
      operationId: `put${type.name}`,
      summary: `Create or update a ${type.name}`,
      description:
        "201 when created, 200 when updated. With `If-Match: \"<version>\"` the update only succeeds if the stored version is that one (409 otherwise); " +
        "without it the last write wins, as in Kuma. The body's `type`, `name` and `mesh` may be omitted but must match the URL when given." +
        (type.name === "Mesh"
          ? " A new Mesh is created, in the same transaction, with Kuma's initial policies (`mesh-timeout-all-<mesh>`, `mesh-timeout-to-all-<mesh>`, " +
            "`mesh-circuit-breaker-all-<mesh>`, `mesh-retry-all-<mesh>`) except the types listed in `skipCreatingInitialPolicies` (`[\"*\"]` for none)."
          : ""),
      tag: type.name,
      requestBody: { description: `The ${type.name} as JSON or YAML`, schema: resourceSchemaRef(type) },
      responses: {
        200: { description: "Updated", schema: resourceSchemaRef(type) },
        201: { description: "Created", schema: resourceSchemaRef(type) },
      },
      handler: async (request, reply) => {
        const { created, stored } = await putResource({ store, sync, type, key: keyOf(request), body: request.body, version: ifMatchVersion(request) });
        return reply.status(created ? 201 : 200).header("etag", etagOf(stored.version)).send(wireOf(stored));
      },
    },
    {
      method: "DELETE",
      path,
      operationId: `delete${type.name}`,
      summary: `Delete a ${type.name}`,
      description:
        type.name === "Mesh"
          ? "Deletes the mesh and, in the same transaction, every resource in it (dataplanes, policies, secrets...), as Kuma does. " +
            "With `If-Match` the mesh's version is checked first."
          : "With `If-Match: \"<version>\"` the delete only succeeds if the stored version is that one (409 otherwise).",
      tag: type.name,
      responses: { 200: { description: "Deleted", schema: { type: "object" } } },
      handler: async (request) => {
        const key = keyOf(request);
        sync.assertWritable(type, await store.get(key));
        const version = ifMatchVersion(request);
        if (type.name !== "Mesh") {
          await store.delete(key, version === undefined ? undefined : { version });
          return {};
        }
        if (version !== undefined) {
          // The store's cascade takes no version: check it first (a change in between is not caught).
          const current = await found(request);
          if (current.version !== version) throw new ConflictError(key, version, current.version);
        }
        await store.deleteMesh(key.name);
        return {};
      },
    },
  ];
}
