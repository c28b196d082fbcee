import { z } from "zod";
import { durationSchema } from "../common/duration";
import { uint32Schema } from "../common/fields";
import { headerMatchSchema } from "./header-match";
import { policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

const HTTP_RETRY_ON = /^(5xx|5XX|GatewayError|Reset|Retriable4xx|ConnectFailure|EnvoyRatelimited|RefusedStream|Http3PostConnectFailure|HttpMethod(Connect|Delete|Get|Head|Options|Patch|Post|Put|Trace)|[1-5]\d\d)$/;

const backOff = z.strictObject({ baseInterval: durationSchema.optional(), maxInterval: durationSchema.optional() });

const rateLimitedBackOff = z.strictObject({
  resetHeaders: z.array(z.strictObject({ name: z.string().min(1), format: z.enum(["Seconds", "UnixTimestamp"]) })).optional(),
  maxInterval: durationSchema.optional(),
});

const retryBase = {
  numRetries: uint32Schema.optional(),
  perTryTimeout: durationSchema.optional(),
  backOff: backOff.optional(),
  rateLimitedBackOff: rateLimitedBackOff.optional(),
};

export const retryConf = z.strictObject({
  tcp: z.strictObject({ maxConnectAttempt: uint32Schema.optional() }).optional(),
  http: z
    .strictObject({
      ...retryBase,
      retryOn: z
        .array(z.string().regex(HTTP_RETRY_ON, { error: (issue) => `${JSON.stringify(issue.input)} is not a valid HTTP retry condition` }))
        .optional(),
      retriableResponseHeaders: z.array(headerMatchSchema).optional(),
      retriableRequestHeaders: z.array(headerMatchSchema).optional(),
      hostSelection: z
        .array(
          z.strictObject({
            predicate: z.enum(["OmitPreviousHosts", "OmitHostsWithTags", "OmitPreviousPriorities"]),
            tags: z.record(z.string(), z.string()).optional(),
            updateFrequency: z.number().int().optional(),
          }),
        )
        .optional(),
      hostSelectionMaxAttempts: z.number().int().optional(),
    })
    .optional(),
  grpc: z
    .strictObject({
      ...retryBase,
      retryOn: z.array(z.enum(["Canceled", "DeadlineExceeded", "Internal", "ResourceExhausted", "Unavailable"])).optional(),
    })
    .optional(),
});

export const meshRetryBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      to: policyItemList(["Mesh", "MeshService"], retryConf).optional(),
    })
    .superRefine(requireOneOf("to")),
});
export type MeshRetryBody = z.infer<typeof meshRetryBody>;
