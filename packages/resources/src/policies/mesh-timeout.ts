import { z } from "zod";
import { durationSchema } from "../common/duration";
import { TOP_LEVEL_KINDS, inboundRuleList, policyItemList, requireOneOf, targetRefSchema } from "./target-ref";

export const timeoutConf = z.strictObject({
  connectionTimeout: durationSchema.optional(),
  idleTimeout: durationSchema.optional(),
  http: z
    .strictObject({
      requestTimeout: durationSchema.optional(),
      streamIdleTimeout: durationSchema.optional(),
      maxStreamDuration: durationSchema.optional(),
      maxConnectionDuration: durationSchema.optional(),
      requestHeadersTimeout: durationSchema.optional(),
    })
    .optional(),
});

export const meshTimeoutBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: targetRefSchema([...TOP_LEVEL_KINDS, "MeshHTTPRoute"], { proxyTypes: true }).optional(),
      from: policyItemList(["Mesh"], timeoutConf).optional(),
      to: policyItemList(["Mesh", "MeshService", "MeshHTTPRoute"], timeoutConf).optional(),
      rules: inboundRuleList(timeoutConf).optional(),
    })
    .superRefine(requireOneOf("from", "to", "rules"))
    .superRefine((spec, ctx) => {
      if (spec.targetRef?.kind !== "MeshHTTPRoute") return;
      for (const section of ["from", "rules"] as const) {
        if (spec[section] !== undefined) {
          ctx.addIssue({ code: "custom", path: [section], message: "only `to` can be used when the top-level targetRef is a MeshHTTPRoute" });
        }
      }
    }),
});
export type MeshTimeoutBody = z.infer<typeof meshTimeoutBody>;
