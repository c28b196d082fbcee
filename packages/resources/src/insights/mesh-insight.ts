import { z } from "zod";
import { uint32Schema } from "../common/fields";

const dataplaneStat = z.strictObject({
  total: uint32Schema.optional(),
  online: uint32Schema.optional(),
  offline: uint32Schema.optional(),
  partiallyDegraded: uint32Schema.optional(),
});
const totals = z.record(z.string(), z.strictObject({ total: uint32Schema }));

export const meshInsightBody = z.strictObject({
  dataplanes: dataplaneStat.optional(),
  dataplanesByType: z
    .strictObject({
      standard: dataplaneStat.optional(),
      gateway: dataplaneStat.optional(),
      gatewayBuiltin: dataplaneStat.optional(),
      gatewayDelegated: dataplaneStat.optional(),
    })
    .optional(),
  /** Per policy type, e.g. `policies.MeshTimeout.total`. */
  policies: totals.optional(),
  resources: totals.optional(),
  dpVersions: z
    .strictObject({
      kumaDp: z.record(z.string(), dataplaneStat).optional(),
      envoy: z.record(z.string(), dataplaneStat).optional(),
    })
    .optional(),
  mTLS: z
    .strictObject({
      issuedBackends: z.record(z.string(), dataplaneStat).optional(),
      supportedBackends: z.record(z.string(), dataplaneStat).optional(),
    })
    .optional(),
  services: z
    .strictObject({ total: uint32Schema.optional(), internal: uint32Schema.optional(), external: uint32Schema.optional() })
    .optional(),
});
export type MeshInsightBody = z.infer<typeof meshInsightBody>;
