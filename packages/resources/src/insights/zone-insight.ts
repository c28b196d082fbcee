import { z } from "zod";
import { timestampSchema } from "../common/fields";
import { discoveryServiceStats, subscriptionBase } from "./discovery-stats";

export const kdsSubscription = z.strictObject({
  ...subscriptionBase,
  globalInstanceId: z.string(),
  zoneInstanceId: z.string().optional(),
  config: z.string().optional(),
  authenticationType: z.string().optional(),
  status: z.strictObject({
    lastUpdateTime: timestampSchema.optional(),
    total: discoveryServiceStats.optional(),
    /** Per resource type, e.g. `stat.MeshTrafficPermission`. */
    stat: z.record(z.string(), discoveryServiceStats).optional(),
  }),
});

export const zoneInsightBody = z.strictObject({
  subscriptions: z.array(kdsSubscription).optional(),
  envoyAdminStreams: z
    .strictObject({
      configDumpGlobalInstanceId: z.string().optional(),
      statsGlobalInstanceId: z.string().optional(),
      clustersGlobalInstanceId: z.string().optional(),
    })
    .optional(),
  healthCheck: z.strictObject({ time: timestampSchema }).optional(),
});
export type ZoneInsightBody = z.infer<typeof zoneInsightBody>;
