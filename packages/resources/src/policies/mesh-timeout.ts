import { z } from "zod";
import { durationSchema } from "../common/duration";
import { inboundRuleList, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

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
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(["Mesh"], timeoutConf).optional(),
      to: policyItemList(["Mesh", "MeshService"], timeoutConf).optional(),
      rules: inboundRuleList(timeoutConf).optional(),
    })
    .superRefine(requireOneOf("from", "to", "rules")),
});
export type MeshTimeoutBody = z.infer<typeof meshTimeoutBody>;
