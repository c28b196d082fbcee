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
          z
            .strictObject({
              predicate: z.enum(["OmitPreviousHosts", "OmitHostsWithTags", "OmitPreviousPriorities"]),
              tags: z.record(z.string(), z.string()).optional(),
              /** OmitPreviousPriorities: recompute the priorities to skip every this many attempts (default 2). */
              updateFrequency: z.number().int().positive({ error: "must be greater than zero" }).optional(),
            })
            .superRefine((predicate, ctx) => {
              if (predicate.predicate === "OmitHostsWithTags" && !predicate.tags) ctx.addIssue({ code: "custom", path: ["tags"], message: "must be defined for OmitHostsWithTags" });
            }),
        )
        .superRefine((predicates, ctx) => {
          const priorities = predicates.flatMap((predicate, index) => (predicate.predicate === "OmitPreviousPriorities" ? [index] : []));
          for (const index of priorities.slice(1)) ctx.addIssue({ code: "custom", path: [index, "predicate"], message: "OmitPreviousPriorities must only be specified once" });
        })
        .optional(),
      hostSelectionMaxAttempts: z.number().int().nonnegative({ error: "must not be negative" }).optional(),
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
      to: policyItemList(["Mesh", "MeshService", "MeshHTTPRoute"], retryConf).optional(),
    })
    .superRefine(requireOneOf("to")),
});
export type MeshRetryBody = z.infer<typeof meshRetryBody>;
