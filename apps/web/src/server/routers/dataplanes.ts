import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ZONE_TAG } from "@zonemesh/resources";
import {
  apiPath,
  dataplaneOverviewSchema,
  dataplaneRulesSchema,
  listAll,
  listQuery,
  listSchema,
  wireResourceSchema,
  CpProblem,
  type CpClient,
} from "../cp-client";
import { dataplaneRow } from "../dataplane-row";
import { DATAPLANE_STATUSES } from "../dataplane-status";
import { pageInput, pageOf } from "../page-input";
import { publicProcedure, router } from "../trpc";

export const dataplaneListInput = pageInput.extend({
  /** Omit for every mesh. */
  mesh: z.string().optional(),
  zone: z.string().optional(),
  /** `kuma.io/service` of an inbound (or the gateway). */
  service: z.string().optional(),
  /** `key:value`, or `key` alone for any value. */
  tag: z.string().regex(/^[^:]+(:.*)?$/, { error: "must be key:value or key" }).optional(),
  status: z.enum(DATAPLANE_STATUSES).optional(),
  /** Substring of the name. */
  name: z.string().optional(),
});
export type DataplaneListInput = z.infer<typeof dataplaneListInput>;

async function meshNames(cp: CpClient, mesh: string | undefined): Promise<string[]> {
  if (mesh) return [mesh];
  return (await listAll(cp, "/meshes", wireResourceSchema)).map((resource) => resource.name);
}

function matchesTag(row: ReturnType<typeof dataplaneRow>, tag: string): boolean {
  const [key, ...rest] = tag.split(":");
  const values = row.tags[key ?? ""];
  if (!values) return false;
  return rest.length === 0 || values.includes(rest.join(":"));
}

/** Every dataplane of one mesh (or all meshes), optionally narrowed by the filters the CP supports. */
export async function allDataplaneRows(cp: CpClient, filter: { mesh?: string | undefined; zone?: string | undefined; name?: string | undefined }) {
  const labels = filter.zone ? { [ZONE_TAG]: filter.zone } : undefined;
  const perMesh = await Promise.all(
    (await meshNames(cp, filter.mesh)).map((mesh) =>
      listAll(cp, `${apiPath("meshes", mesh)}/dataplanes+insights`, dataplaneOverviewSchema, { name: filter.name, labels }),
    ),
  );
  return perMesh.flat().map(dataplaneRow);
}

/**
 * Name and zone go to the CP (`name`, `filter[labels.kuma.io/zone]`) with the page; service, tag and status
 * are not CP filters, so those lists are read whole from the CP and filtered and paged here.
 */
export async function listDataplanes(cp: CpClient, input: DataplaneListInput) {
  const labels = input.zone ? { [ZONE_TAG]: input.zone } : undefined;
  const needsLocalFilter = Boolean(input.service || input.tag || input.status);
  if (input.mesh && !needsLocalFilter) {
    const page = await cp.request({
      path: `${apiPath("meshes", input.mesh)}/dataplanes+insights`,
      query: listQuery({ offset: input.offset, size: input.size, name: input.name, labels }),
      schema: listSchema(dataplaneOverviewSchema),
    });
    return { total: page.total, items: page.items.map(dataplaneRow) };
  }
  const rows = (await allDataplaneRows(cp, input))
    .filter((row) => !input.service || row.services.includes(input.service))
    .filter((row) => !input.tag || matchesTag(row, input.tag))
    .filter((row) => !input.status || row.status === input.status);
  return pageOf(rows, input);
}

const dataplaneKey = z.object({ mesh: z.string().min(1), name: z.string().min(1) });
const dataplanePath = (key: z.infer<typeof dataplaneKey>) => apiPath("meshes", key.mesh, "dataplanes", key.name);

export const dataplanesRouter = router({
  list: publicProcedure.input(dataplaneListInput).query(({ ctx, input }) => listDataplanes(ctx.cp, input)),

  /** One dataplane: its inbounds/outbounds, xDS subscriptions and certificate, and the policy rules that apply to it. */
  get: publicProcedure.input(dataplaneKey).query(async ({ ctx, input }) => {
    const [overview, rules] = await Promise.all([
      ctx.cp.request({ path: `${apiPath("meshes", input.mesh)}/dataplanes+insights/${encodeURIComponent(input.name)}`, schema: dataplaneOverviewSchema }),
      ctx.cp.request({ path: `${dataplanePath(input)}/_rules`, schema: dataplaneRulesSchema }),
    ]);
    return {
      ...dataplaneRow(overview),
      networking: overview.dataplane.networking,
      subscriptions: overview.dataplaneInsight.subscriptions ?? [],
      mTLS: overview.dataplaneInsight.mTLS ?? null,
      rules: rules.rules,
    };
  }),

  /**
   * The xDS configuration the CP serves the proxy (a config dump with ACK/NACK state). Only the CP the proxy is
   * connected to has it: otherwise `config` is null and `reason` is the CP's explanation.
   */
  xds: publicProcedure.input(dataplaneKey).query(async ({ ctx, input }) => {
    try {
      return { config: await ctx.cp.request({ path: `${dataplanePath(input)}/xds`, schema: z.json() }), reason: null };
    } catch (error) {
      if (error instanceof TRPCError && error.code === "NOT_FOUND" && error.cause instanceof CpProblem) return { config: null, reason: error.cause.detail };
      throw error;
    }
  }),
});
