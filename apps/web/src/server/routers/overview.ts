import { globalInsightSchema, indexSchema } from "../cp-client";
import { publicProcedure, router } from "../trpc";

export const overviewRouter = router({
  /** Counts for the overview page and the CP's version, in one round trip. */
  summary: publicProcedure.query(async ({ ctx }) => {
    const [index, insight] = await Promise.all([
      ctx.cp.request({ path: "/", schema: indexSchema }),
      ctx.cp.request({ path: "/global-insight", schema: globalInsightSchema }),
    ]);
    return { controlPlane: index, ...insight };
  }),
});
