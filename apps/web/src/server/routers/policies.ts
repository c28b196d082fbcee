import { z } from "zod";
import { policyTypeNames, resourceTypes, typeByName, type PolicyTypeName, type Resource } from "@zonemesh/resources";
import { apiPath, listQuery, listSchema, policyCountsSchema, policyPreviewSchema, resourceMetaSchema, wireResourceSchema, type CpClient } from "../cp-client";
import { namedRow, type Labelled } from "../display-name";
import { pageInput } from "../page-input";
import { wireOf } from "../../lib/policy-document";
import { policyKeyInput, policyResourceInput, policyTypeInput } from "../policy-input";
import { publicProcedure, router } from "../trpc";

const pluralOf = (type: PolicyTypeName) => typeByName(type)!.plural;

/** `/meshes/{mesh}/{plural}` for one mesh, `/{plural}` across meshes. */
const listPath = (type: PolicyTypeName, mesh: string | undefined) => (mesh ? `${apiPath("meshes", mesh)}/${pluralOf(type)}` : apiPath(pluralOf(type)));
const itemPath = (key: { type: PolicyTypeName; mesh: string; name: string }) => apiPath("meshes", key.mesh, pluralOf(key.type), key.name);

const keyOf = (resource: Resource) => ({ type: resource.type as PolicyTypeName, mesh: resource.mesh, name: resource.name });

async function countByType(cp: CpClient, mesh: string | undefined) {
  const { policies } = await cp.request({ path: mesh ? `${apiPath("meshes", mesh)}/policy-counts` : "/policy-counts", schema: policyCountsSchema });
  return policyTypeNames.map((type) => ({ type, total: policies[type]?.total ?? 0 }));
}

export const policiesRouter = router({
  /** The policy types the CP knows, with their REST path segment. */
  types: publicProcedure.query(() => resourceTypes.filter((type) => type.isPolicy).map((type) => ({ name: type.name, plural: type.plural }))),

  /** How many policies of each type exist (in one mesh, or all). */
  counts: publicProcedure.input(z.object({ mesh: z.string().optional() })).query(({ ctx, input }) => countByType(ctx.cp, input.mesh)),

  list: publicProcedure
    .input(pageInput.extend({ type: policyTypeInput, mesh: z.string().optional(), name: z.string().optional() }))
    .query(async ({ ctx, input }) => {
      const page = await ctx.cp.request({
        path: listPath(input.type, input.mesh),
        query: listQuery({ offset: input.offset, size: input.size, name: input.name }),
        schema: listSchema(wireResourceSchema),
      });
      return { total: page.total, items: page.items };
    }),

  /** The stored policy, or null when there is none (the editor then creates it). */
  get: publicProcedure.input(policyKeyInput).query(({ ctx, input }) => ctx.cp.requestOrNull({ path: itemPath(input), schema: wireResourceSchema })),

  /** The dataplanes a stored policy selects (the CP's inspect API). */
  dataplanes: publicProcedure.input(policyKeyInput.extend(pageInput.shape)).query(async ({ ctx, input }) => {
    const page = await ctx.cp.request({
      path: `${itemPath(input)}/_resources/dataplanes`,
      query: listQuery({ offset: input.offset, size: input.size }),
      schema: listSchema(resourceMetaSchema),
    });
    return { total: page.total, items: page.items.map((dp) => ({ ...dp, ...namedRow(dp) })) };
  }),

  /**
   * Dry run on the CP (writes nothing): the dataplanes the policy would select, which that changes, and its diff
   * against the stored version. A mutation only so the policy travels in a POST body, not the URL.
   */
  preview: publicProcedure.input(policyResourceInput).mutation(async ({ ctx, input: resource }) => {
    const preview = await ctx.cp.request({ method: "POST", path: `${itemPath(keyOf(resource))}/_preview`, body: wireOf(resource), schema: policyPreviewSchema });
    const rows = (dataplanes: (Labelled & { mesh: string })[]) => dataplanes.map((dp) => ({ mesh: dp.mesh, ...namedRow(dp) }));
    const { selected, added, removed } = preview.dataplanes;
    return { ...preview, dataplanes: { selected: rows(selected), added: rows(added), removed: rows(removed) } };
  }),

  /** Creates or replaces the policy on the global CP, which validates it again and syncs it to the zones. */
  upsert: publicProcedure.input(policyResourceInput).mutation(async ({ ctx, input: resource }) => {
    return ctx.cp.request({ method: "PUT", path: itemPath(keyOf(resource)), body: wireOf(resource), schema: wireResourceSchema });
  }),

  delete: publicProcedure.input(policyKeyInput).mutation(async ({ ctx, input }) => {
    await ctx.cp.request({ method: "DELETE", path: itemPath(input), schema: z.unknown() });
    return { deleted: true };
  }),
});
