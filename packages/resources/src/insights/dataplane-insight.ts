import { z } from "zod";
import { timestampSchema, uint32Schema } from "../common/fields";
import { discoveryServiceStats, subscriptionBase } from "./discovery-stats";

export const xdsSubscription = z.strictObject({
  ...subscriptionBase,
  controlPlaneInstanceId: z.string(),
  status: z.strictObject({
    lastUpdateTime: timestampSchema.optional(),
    total: discoveryServiceStats.optional(),
    cds: discoveryServiceStats.optional(),
    eds: discoveryServiceStats.optional(),
    lds: discoveryServiceStats.optional(),
    rds: discoveryServiceStats.optional(),
  }),
});

export const dataplaneInsightBody = z.strictObject({
  subscriptions: z.array(xdsSubscription).optional(),
  mTLS: z
    .strictObject({
      certificateExpirationTime: timestampSchema.optional(),
      lastCertificateRegeneration: timestampSchema.optional(),
      certificateRegenerations: uint32Schema.optional(),
      issuedBackend: z.string().optional(),
      supportedBackends: z.array(z.string()).optional(),
    })
    .optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type DataplaneInsightBody = z.infer<typeof dataplaneInsightBody>;
