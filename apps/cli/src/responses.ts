// Shapes the CLI reads from the API; a response that does not fit is reported instead of half-printed.
import { spiffeIdMatch } from "@zonemesh/resources";
import { z } from "zod";

export const wireResourceSchema = z.looseObject({
  type: z.string(),
  name: z.string(),
  mesh: z.string().optional(),
  creationTime: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  spec: z
    .looseObject({
      targetRef: z
        .looseObject({
          kind: z.string().optional(),
          name: z.string().optional(),
          tags: z.record(z.string(), z.string()).optional(),
          labels: z.record(z.string(), z.string()).optional(),
          sectionName: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type WireResource = z.infer<typeof wireResourceSchema>;

export const pageSchema = z.object({ total: z.number(), items: z.array(wireResourceSchema), next: z.string().nullable() });

export const problemSchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  details: z.string().optional(),
  invalid_parameters: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  causes: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

const metaSchema = z.looseObject({ type: z.string(), mesh: z.string(), name: z.string() });
const matcherSchema = z.object({ key: z.string(), value: z.string() });
const ruleSchema = z.looseObject({ matchers: z.array(matcherSchema), conf: z.record(z.string(), z.unknown()), origin: z.array(metaSchema) });
const inboundSchema = z.looseObject({ port: z.number() });

export const dataplanePoliciesSchema = z.object({ total: z.number(), items: z.array(metaSchema) });
const matchedRuleSchema = z.looseObject({ matches: z.array(spiffeIdMatch), conf: z.record(z.string(), z.unknown()), origin: z.array(metaSchema) });

export const dataplaneRulesSchema = z.looseObject({
  rules: z.array(
    z.looseObject({
      type: z.string(),
      toRules: z.array(ruleSchema),
      fromRules: z.array(z.looseObject({ inbound: inboundSchema, rules: z.array(ruleSchema) })),
      inboundRules: z.array(z.looseObject({ inbound: inboundSchema, conf: z.record(z.string(), z.unknown()), origin: z.array(metaSchema) })),
      inboundMatchedRules: z.array(z.looseObject({ inbound: inboundSchema, rules: z.array(matchedRuleSchema) })).default([]),
      singleItemRules: z.array(z.looseObject({ conf: z.record(z.string(), z.unknown()), origin: z.array(metaSchema) })).default([]),
    }),
  ),
});
export type PolicyRules = z.infer<typeof dataplaneRulesSchema>["rules"][number];
export type Meta = z.infer<typeof metaSchema>;
export const selectedDataplanesSchema = z.object({ total: z.number(), items: z.array(metaSchema), next: z.string().nullable() });
