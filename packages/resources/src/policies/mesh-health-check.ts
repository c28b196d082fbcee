import { z } from "zod";
import { durationSchema } from "../common/duration";
import { base64Schema, percentageSchema } from "../common/fields";
import { headerModifierSchema } from "./header-match";
import { policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

export const healthCheckConf = z.strictObject({
  interval: durationSchema.optional(),
  unhealthyInterval: durationSchema.optional(),
  timeout: durationSchema.optional(),
  unhealthyThreshold: z.number().int().min(0).optional(),
  healthyThreshold: z.number().int().min(0).optional(),
  initialJitter: durationSchema.optional(),
  intervalJitter: durationSchema.optional(),
  intervalJitterPercent: z.number().int().min(0).max(100).optional(),
  failTrafficOnPanic: z.boolean().optional(),
  healthyPanicThreshold: percentageSchema.optional(),
  eventLogPath: z.string().optional(),
  alwaysLogHealthCheckFailures: z.boolean().optional(),
  noTrafficInterval: durationSchema.optional(),
  reuseConnection: z.boolean().optional(),
  tcp: z
    .strictObject({ disabled: z.boolean().optional(), send: base64Schema.optional(), receive: z.array(base64Schema).optional() })
    .optional(),
  http: z
    .strictObject({
      disabled: z.boolean().optional(),
      path: z.string().optional(),
      requestHeadersToAdd: headerModifierSchema.omit({ remove: true }).optional(),
      expectedStatuses: z.array(z.number().int().min(100).max(599)).optional(),
    })
    .optional(),
  grpc: z
    .strictObject({ disabled: z.boolean().optional(), serviceName: z.string().optional(), authority: z.string().optional() })
    .optional(),
});

export const meshHealthCheckBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      to: policyItemList(["Mesh", "MeshService"], healthCheckConf).optional(),
    })
    .superRefine(requireOneOf("to")),
});
export type MeshHealthCheckBody = z.infer<typeof meshHealthCheckBody>;
