import { z } from "zod";
import { pageInput, pageOf } from "../page-input";
import { summarizeServices } from "../service-summary";
import { publicProcedure, router } from "../trpc";
import { allDataplaneRows } from "./dataplanes";

export const servicesRouter = router({
  /** Services per mesh with the zones they run in and healthy/total dataplanes. */
  list: publicProcedure
    .input(pageInput.extend({ mesh: z.string().optional(), zone: z.string().optional(), name: z.string().optional() }))
    .query(async ({ ctx, input }) => {
      const rows = await allDataplaneRows(ctx.cp, { mesh: input.mesh, zone: input.zone });
      const services = summarizeServices(rows).filter((service) => !input.name || service.name.includes(input.name));
      return pageOf(services, input);
    }),
});
