import { z } from "zod";
import { apiPath, listQuery, listSchema, serviceInsightSchema } from "../cp-client";
import { pageInput } from "../page-input";
import { serviceSummary } from "../service-summary";
import { publicProcedure, router } from "../trpc";

export const servicesRouter = router({
  /** Services per mesh with the zones they run in and healthy/total dataplanes: the CP's service insights, paged and filtered there. */
  list: publicProcedure
    .input(pageInput.extend({ mesh: z.string().optional(), zone: z.string().optional(), name: z.string().optional() }))
    .query(async ({ ctx, input }) => {
      const page = await ctx.cp.request({
        path: input.mesh ? `${apiPath("meshes", input.mesh)}/service-insights` : "/service-insights",
        query: listQuery({ offset: input.offset, size: input.size, name: input.name, filters: { zone: input.zone } }),
        schema: listSchema(serviceInsightSchema),
      });
      return { total: page.total, items: page.items.map(serviceSummary) };
    }),
});
