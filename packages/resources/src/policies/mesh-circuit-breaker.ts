import { z } from "zod";
import { durationSchema } from "../common/duration";
import { percentageSchema, uint32Schema } from "../common/fields";
import { inboundRuleList, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

const consecutive = z.strictObject({ consecutive: uint32Schema.optional() });

export const circuitBreakerConf = z.strictObject({
  connectionLimits: z
    .strictObject({
      maxConnections: uint32Schema.optional(),
      maxConnectionPools: uint32Schema.optional(),
      maxPendingRequests: uint32Schema.optional(),
      maxRetries: uint32Schema.optional(),
      maxRequests: uint32Schema.optional(),
    })
    .optional(),
  outlierDetection: z
    .strictObject({
      disabled: z.boolean().optional(),
      interval: durationSchema.optional(),
      baseEjectionTime: durationSchema.optional(),
      maxEjectionPercent: uint32Schema.max(100).optional(),
      splitExternalAndLocalErrors: z.boolean().optional(),
      healthyPanicThreshold: percentageSchema.optional(),
      detectors: z
        .strictObject({
          totalFailures: consecutive.optional(),
          gatewayFailures: consecutive.optional(),
          localOriginFailures: consecutive.optional(),
          successRate: z
            .strictObject({
              minimumHosts: uint32Schema.optional(),
              requestVolume: uint32Schema.optional(),
              standardDeviationFactor: z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)]).optional(),
            })
            .optional(),
          failurePercentage: z
            .strictObject({
              minimumHosts: uint32Schema.optional(),
              requestVolume: uint32Schema.optional(),
              threshold: uint32Schema.max(100).optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

export const meshCircuitBreakerBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(["Mesh"], circuitBreakerConf).optional(),
      to: policyItemList(["Mesh", "MeshService"], circuitBreakerConf).optional(),
      rules: inboundRuleList(circuitBreakerConf).optional(),
    })
    .superRefine(requireOneOf("from", "to", "rules")),
});
export type MeshCircuitBreakerBody = z.infer<typeof meshCircuitBreakerBody>;
