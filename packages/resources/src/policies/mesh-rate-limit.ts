import { z } from "zod";
import { durationSchema } from "../common/duration";
import { uint32Schema } from "../common/fields";
import { inboundRuleList, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

export const rateLimitConf = z.strictObject({
  local: z
    .strictObject({
      http: z
        .strictObject({
          disabled: z.boolean().optional(),
          requestRate: z.strictObject({ num: uint32Schema, interval: durationSchema }).optional(),
          onRateLimit: z
            .strictObject({
              status: z.number().int().min(100).max(599).optional(),
              headers: z
                .strictObject({
                  set: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).optional(),
                  add: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).optional(),
                })
                .optional(),
            })
            .optional(),
        })
        .optional(),
      tcp: z
        .strictObject({
          disabled: z.boolean().optional(),
          connectionRate: z.strictObject({ num: uint32Schema, interval: durationSchema }).optional(),
        })
        .optional(),
    })
    .optional(),
});

export const meshRateLimitBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(["Mesh"], rateLimitConf).optional(),
      to: policyItemList(["Mesh"], rateLimitConf).optional(),
      rules: inboundRuleList(rateLimitConf).optional(),
    })
    .superRefine(requireOneOf("from", "to", "rules")),
});
export type MeshRateLimitBody = z.infer<typeof meshRateLimitBody>;
