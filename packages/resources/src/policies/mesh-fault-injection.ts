import { z } from "zod";
import { durationSchema } from "../common/duration";
import { percentageSchema } from "../common/fields";
import { spiffeIdMatch } from "./spiffe-id-match";
import { TARGET_REF_KINDS, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

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
      // Kuma 2.13+: a rule's `matches` (any of them) picks its callers by SPIFFE ID; without, it is for every caller.
      rules: z.array(z.strictObject({ matches: z.array(spiffeIdMatch).min(1, { error: "must have at least one element" }).optional(), default: faultInjectionConf })).optional(),
    })
    .superRefine(requireOneOf("from", "to", "rules")),
});
export type MeshFaultInjectionBody = z.infer<typeof meshFaultInjectionBody>;
