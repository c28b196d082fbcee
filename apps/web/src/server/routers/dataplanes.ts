import { TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  apiPath,
  dataplaneOverviewSchema,
  dataplaneRulesSchema,
  listQuery,
  listSchema,
  CpProblem,
  type CpClient,
} from "../cp-client";
import { dataplaneRow } from "../dataplane-row";
import { DATAPLANE_STATUSES, type DataplaneStatus } from "../dataplane-status";
import { pageInput } from "../page-input";
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

/** The CP's `dataplanes+insights` of one mesh, or across meshes when none is given. */
const overviewListPath = (mesh: string | undefined) => (mesh ? `${apiPath("meshes", mesh)}/dataplanes+insights` : "/dataplanes+insights");

/** The CP's name for the one status the GUI spells differently (Kuma's GUI uses `partially_degraded` too). */
const cpStatus = (status: DataplaneStatus | undefined) => (status === "partially_degraded" ? "partiallyDegraded" : status);

/** One page of dataplanes: the CP filters (name, zone, service, tag, status) and pages them. */
export async function listDataplanes(cp: CpClient, input: DataplaneListInput) {
  const page = await cp.request({
    path: overviewListPath(input.mesh),
    query: listQuery({
      offset: input.offset,
      size: input.size,
      name: input.name,
      filters: { zone: input.zone, service: input.service, tag: input.tag, status: cpStatus(input.status) },
    }),
    schema: listSchema(dataplaneOverviewSchema),
  });
  return { total: page.total, items: page.items.map(dataplaneRow) };
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
   * The xDS configuration the CP serves the proxy (a config dump with ACK/NACK state). The global asks the zone the
   * proxy is connected to; when it cannot (not connected: 404, zone offline or slow: 503), `config` is null and
   * `reason` is the CP's explanation.
   */
  xds: publicProcedure.input(dataplaneKey).query(async ({ ctx, input }) => {
    try {
      return { config: await ctx.cp.request({ path: `${dataplanePath(input)}/xds`, schema: z.json() }), reason: null };
    } catch (error) {
      if (error instanceof TRPCError && error.cause instanceof CpProblem && (error.cause.status === 404 || error.cause.status === 503)) {
        return { config: null, reason: error.cause.detail };
      }
      throw error;
    }
  }),
});
