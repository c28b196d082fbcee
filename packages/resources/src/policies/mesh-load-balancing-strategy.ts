import { z } from "zod";
import { durationSchema } from "../common/duration";
import { nonEmptyString, percentageSchema, uint32Schema } from "../common/fields";
import { policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";
import { requireBlockForType } from "./type-block";

const hashPolicy = z.strictObject({
  type: z.enum(["Header", "Cookie", "Connection", "SourceIP", "QueryParameter", "FilterState"]),
  terminal: z.boolean().optional(),
  header: z.strictObject({ name: nonEmptyString }).optional(),
  cookie: z.strictObject({ name: nonEmptyString, ttl: durationSchema.optional(), path: z.string().optional() }).optional(),
  connection: z.strictObject({ sourceIP: z.boolean().optional() }).optional(),
  queryParameter: z.strictObject({ name: nonEmptyString }).optional(),
  filterState: z.strictObject({ key: nonEmptyString }).optional(),
}).superRefine(requireBlockForType({ Header: "header", Cookie: "cookie", QueryParameter: "queryParameter", FilterState: "filterState" }));

const loadBalancer = z.strictObject({
  type: z.enum(["RoundRobin", "LeastRequest", "RingHash", "Random", "Maglev"]),
  roundRobin: z.strictObject({}).optional(),
  random: z.strictObject({}).optional(),
  leastRequest: z.strictObject({ choiceCount: uint32Schema.min(2).optional() }).optional(),
  ringHash: z
    .strictObject({
      hashFunction: z.enum(["XXHash", "MurmurHash2"]).optional(),
      minRingSize: z.number().int().min(1).max(8_000_000).optional(),
      maxRingSize: z.number().int().min(1).max(8_000_000).optional(),
      hashPolicies: z.array(hashPolicy).optional(),
    })
    .optional(),
  maglev: z
    .strictObject({ tableSize: z.number().int().min(1).max(5_000_011).optional(), hashPolicies: z.array(hashPolicy).optional() })
    .optional(),
});

const localityAwareness = z.strictObject({
  disabled: z.boolean().optional(),
  localZone: z
    .strictObject({
      affinityTags: z
        .array(z.strictObject({ key: nonEmptyString, weight: uint32Schema.optional() }))
        .superRefine((tags, ctx) => {
          const weighted = tags.filter((tag) => tag.weight !== undefined).length;
          if (weighted > 0 && weighted < tags.length) ctx.addIssue({ code: "custom", message: "all or none affinity tags should have weight" });
        })
        .optional(),
    })
    .optional(),
  crossZone: z
    .strictObject({
      failover: z
        .array(
          z.strictObject({
            from: z.strictObject({ zones: z.array(nonEmptyString) }).optional(),
            to: z.strictObject({ type: z.enum(["None", "Only", "Any", "AnyExcept"]), zones: z.array(nonEmptyString).optional() }),
          }),
        )
        .optional(),
      failoverThreshold: z.strictObject({ percentage: percentageSchema.refine((value) => Number(value) > 0, { error: "must be greater than 0" }) }).optional(),
    })
    .optional(),
});

export const loadBalancingStrategyConf = z.strictObject({
  localityAwareness: localityAwareness.optional(),
  loadBalancer: loadBalancer.optional(),
  /** Kuma 2.9+: the hash policies of RingHash and Maglev, outside the balancer (whose own `hashPolicies`, if any, win). */
  hashPolicies: z.array(hashPolicy).optional(),
});

export const meshLoadBalancingStrategyBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      to: policyItemList(["Mesh", "MeshService"], loadBalancingStrategyConf).optional(),
    })
    .superRefine(requireOneOf("to")),
});
export type MeshLoadBalancingStrategyBody = z.infer<typeof meshLoadBalancingStrategyBody>;
