import { z } from "zod";
import { durationSchema } from "../common/duration";
import { percentageSchema } from "../common/fields";
import { TARGET_REF_KINDS, inboundRuleList, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

export const faultInjectionConf = z.strictObject({
  http: z
    .array(
      z.strictObject({
        abort: z.strictObject({ httpStatus: z.number().int().min(100).max(599), percentage: percentageSchema }).optional(),
        delay: z.strictObject({ value: durationSchema, percentage: percentageSchema }).optional(),
        responseBandwidth: z
          .strictObject({
            limit: z.string().regex(/^\d+(gbps|mbps|kbps|bps)$/i, { error: 'must be a bandwidth like "10kbps", "5Mbps"' }),
            percentage: percentageSchema,
          })
          .optional(),
      }),
    )
    .optional(),
});

export const meshFaultInjectionBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(TARGET_REF_KINDS, faultInjectionConf).optional(),
      to: policyItemList(["Mesh"], faultInjectionConf).optional(),
      rules: inboundRuleList(faultInjectionConf).optional(),
    })
    .superRefine(requireOneOf("from", "to", "rules")),
});
export type MeshFaultInjectionBody = z.infer<typeof meshFaultInjectionBody>;
