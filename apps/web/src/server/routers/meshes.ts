import { z } from "zod";
import { enabledMtlsBackend, type MeshBody } from "@zonemesh/resources";
import { listAll, listQuery, listSchema, wireResourceSchema, type WireResource } from "../cp-client";
import { pageInput } from "../page-input";
import { publicProcedure, router } from "../trpc";

function meshRow(mesh: WireResource) {
  const body = mesh.body as MeshBody;
  const enabled = body.mtls?.enabledBackend;
  const backend = enabledMtlsBackend(body);
  return {
    name: mesh.name,
    // PERMISSIVE inbounds also take plaintext callers; MeshTLS policies may change it per dataplane.
    mtls: enabled ? { backend: enabled, type: backend?.type ?? null, mode: backend?.mode ?? "STRICT" } : null,
    labels: mesh.labels,
    creationTime: mesh.creationTime ?? null,
  };
}

export const meshesRouter = router({
  list: publicProcedure.input(pageInput.extend({ name: z.string().optional() })).query(async ({ ctx, input }) => {
    const page = await ctx.cp.request({ path: "/meshes", query: listQuery(input), schema: listSchema(wireResourceSchema) });
    return { total: page.total, items: page.items.map(meshRow) };
  }),

  /** Every mesh name, for filter pickers. */
  names: publicProcedure.query(async ({ ctx }) => (await listAll(ctx.cp, "/meshes", wireResourceSchema)).map((mesh) => mesh.name)),
});
