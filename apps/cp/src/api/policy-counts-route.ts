import { resourceTypes } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import { requireMesh } from "./mesh-exists";
import { type ApiRoute, pathParam } from "./route";

const policyTypes = resourceTypes.filter((type) => type.isPolicy).map((type) => type.name);
const ACROSS_MESHES = "*";

/**
 * Policies per type and mesh, counted once and counted again only after a change of that type (the change feed
 * says which), so a policies page asks one question instead of one per type.
 */
function cachedPolicyCounts(store: ResourceStore) {
  const counts = new Map<string, number>();
  /** Changes seen per type: a count that raced with a change is not cached. */
  const changes = new Map<string, number>();
  const isPolicy = new Set<string>(policyTypes);
  store.subscribe((event) => {
    if (!isPolicy.has(event.type)) return;
    changes.set(event.type, (changes.get(event.type) ?? 0) + 1);
    counts.delete(`${event.type}|${event.mesh}`);
    counts.delete(`${event.type}|${ACROSS_MESHES}`);
  });
  const countOf = async (type: string, mesh: string | undefined) => {
    const key = `${type}|${mesh ?? ACROSS_MESHES}`;
    const known = counts.get(key);
    if (known !== undefined) return known;
    const seen = changes.get(type) ?? 0;
    const { total } = await store.list({ type, ...(mesh === undefined ? {} : { mesh }), size: 1 });
    if ((changes.get(type) ?? 0) === seen) counts.set(key, total);
    return total;
  };
  return async (mesh: string | undefined) => {
    const totals = await Promise.all(policyTypes.map((type) => countOf(type, mesh)));
    return { policies: Object.fromEntries(policyTypes.map((type, i) => [type, { total: totals[i]! }])) };
  };
}

const countsSchema = {
  type: "object",
  properties: {
    policies: {
      type: "object",
      description: "Every policy type, as in Kuma's MeshInsight: `{\"MeshTrafficPermission\": {\"total\": 3}, ...}`",
      additionalProperties: { type: "object", properties: { total: { type: "integer" } } },
    },
  },
};

/** How many policies of each type a mesh (or every mesh) has, in one request. */
export function policyCountRoutes(store: ResourceStore): ApiRoute[] {
  const counts = cachedPolicyCounts(store);
  return [
    {
      method: "GET",
      path: "/meshes/{mesh}/policy-counts",
      operationId: "getPolicyCounts",
      summary: "Number of policies of every type in a mesh",
      tag: "Insights",
      responses: { 200: { description: "Counts per policy type", schema: countsSchema } },
      handler: async (request) => {
        const mesh = pathParam(request, "mesh");
        await requireMesh(store, mesh, "mesh");
        return counts(mesh);
      },
    },
    {
      method: "GET",
      path: "/policy-counts",
      operationId: "getPolicyCountsAcrossMeshes",
      summary: "Number of policies of every type across all meshes",
      tag: "Insights",
      responses: { 200: { description: "Counts per policy type", schema: countsSchema } },
      handler: async () => counts(undefined),
    },
  ];
}
