import { z } from "zod";
import { durationSchema } from "../common/duration";
import { nonEmptyString, portSchema } from "../common/fields";
import { topLevelTargetRef } from "./target-ref";

const statSelector = z.strictObject({ type: z.enum(["Prefix", "Regex", "Exact", "Contains"]), match: nonEmptyString });

const prometheusBackend = z.strictObject({
  clientId: nonEmptyString.optional(),
  port: portSchema.optional(),
  path: z.string().startsWith("/", { error: 'must start with "/"' }).optional(),
  tls: z.strictObject({ mode: z.enum(["Disabled", "ProvidedTLS", "ActiveMTLSBackend"]) }).optional(),
});

const backend = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("Prometheus"), prometheus: prometheusBackend }),
    z.strictObject({
      type: z.literal("OpenTelemetry"),
      openTelemetry: z.strictObject({
        endpoint: nonEmptyString.optional(),
        refreshInterval: durationSchema.optional(),
        backendRef: z.strictObject({ kind: z.string(), name: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }).optional(),
      }),
    }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? 'type must be one of "Prometheus", "OpenTelemetry"' : undefined) },
);

export const metricConf = z.strictObject({
  sidecar: z
    .strictObject({
      includeUnused: z.boolean().optional(),
      regex: z.string().optional(),
      profiles: z
        .strictObject({
          appendProfiles: z.array(z.strictObject({ name: z.enum(["All", "Basic", "None"]) })).optional(),
          exclude: z.array(statSelector).optional(),
          include: z.array(statSelector).optional(),
        })
        .optional(),
    })
    .optional(),
  applications: z.array(z.strictObject({ name: nonEmptyString.optional(), path: z.string().optional(), address: z.string().optional(), port: portSchema })).optional(),
  backends: z.array(backend).optional(),
});

/** Kuma 2.6+: how the selected proxies expose metrics (a single `default`, merged over the selecting policies). */
export const meshMetricBody = z.strictObject({
  spec: z.strictObject({ targetRef: topLevelTargetRef.optional(), default: metricConf }),
});
export type MeshMetricBody = z.infer<typeof meshMetricBody>;
