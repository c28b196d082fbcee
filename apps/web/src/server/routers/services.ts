import { z } from "zod";
import { PROTOCOL_TAG, SERVICE_TAG, type ExternalServiceBody } from "@zonemesh/resources";
import { apiPath, listQuery, listSchema, serviceInsightSchema, wireResourceSchema, type WireResource } from "../cp-client";
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

  /** ExternalServices per mesh: the service name the mesh reaches them by, their address and how TLS is originated. */
  external: publicProcedure.input(pageInput.extend({ mesh: z.string().optional(), name: z.string().optional() })).query(async ({ ctx, input }) => {
    const page = await ctx.cp.request({
      path: input.mesh ? `${apiPath("meshes", input.mesh)}/external-services` : "/external-services",
      query: listQuery({ offset: input.offset, size: input.size, name: input.name }),
      schema: listSchema(wireResourceSchema),
    });
    return {
      total: page.total,
      items: page.items.map(({ mesh, name, body }: WireResource) => {
        const { tags, networking } = body as ExternalServiceBody;
        const tls = networking.tls?.enabled ? networking.tls : undefined;
        return {
          mesh,
          name,
          service: tags[SERVICE_TAG] ?? name,
          protocol: tags[PROTOCOL_TAG] ?? "tcp",
          address: networking.address,
          tls: tls ? { serverName: tls.serverName ?? null, verified: tls.caCert !== undefined, clientCertificate: tls.clientCert !== undefined } : null,
        };
      }),
    };
  }),
});
