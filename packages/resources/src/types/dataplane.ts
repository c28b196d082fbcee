import { z } from "zod";
import { durationSchema } from "../common/duration";
import { nonEmptyString, portSchema, tagsSchema } from "../common/fields";
import { prometheusConf } from "./mesh";

export const SERVICE_TAG = "kuma.io/service";
export const PROTOCOL_TAG = "kuma.io/protocol";
export const ZONE_TAG = "kuma.io/zone";
/** The label Kuma sets on a dataplane of Kubernetes: its namespace. */
export const NAMESPACE_LABEL = "k8s.kuma.io/namespace";
export const PROTOCOLS = ["http", "http2", "grpc", "tcp", "kafka"] as const;

// Kuma's character sets for dataplane tags (values take no '/').
const TAG_NAME = /^[a-zA-Z0-9.\-_:/]+$/;
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]+$/;

const dataplaneTags = tagsSchema.superRefine((tags, ctx) => {
  for (const [name, value] of Object.entries(tags)) {
    if (!TAG_NAME.test(name)) {
      ctx.addIssue({ code: "custom", path: [name], message: "tag name must be non-empty and consist of alphanumeric characters, '.', '-', '_', ':' and '/'" });
    } else if (!TAG_VALUE.test(value)) {
      ctx.addIssue({ code: "custom", path: [name], message: "tag value must be non-empty and consist of alphanumeric characters, '.', '-', '_' and ':'" });
    }
  }
});

/** Tags of an inbound or gateway: `kuma.io/service` is mandatory, `kuma.io/protocol` limited to Kuma's protocols. */
export const serviceTags = dataplaneTags.superRefine((tags, ctx) => {
  if (!tags[SERVICE_TAG]) {
    ctx.addIssue({ code: "custom", path: [SERVICE_TAG], message: `tag has to exist` });
  }
  const protocol = tags[PROTOCOL_TAG];
  if (protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol)) {
    ctx.addIssue({ code: "custom", path: [PROTOCOL_TAG], message: `must be one of ${PROTOCOLS.join(", ")}` });
  }
});

const inbound = z.strictObject({
  port: portSchema,
  servicePort: portSchema.optional(),
  serviceAddress: nonEmptyString.optional(),
  address: nonEmptyString.optional(),
  name: z.string().optional(),
  tags: serviceTags,
  health: z.strictObject({ ready: z.boolean().optional() }).optional(),
  state: z.enum(["Ready", "NotReady", "Ignored"]).optional(),
  serviceProbe: z
    .strictObject({
      interval: durationSchema.optional(),
      timeout: durationSchema.optional(),
      unhealthyThreshold: z.number().int().min(0).optional(),
      healthyThreshold: z.number().int().min(0).optional(),
      tcp: z.strictObject({}).optional(),
    })
    .optional(),
});

const outbound = z
  .strictObject({
    port: portSchema,
    address: nonEmptyString.optional(),
    tags: dataplaneTags.optional(),
    service: nonEmptyString.optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.tags?.[SERVICE_TAG] && !value.service) {
      ctx.addIssue({ code: "custom", path: ["tags", SERVICE_TAG], message: `tag has to exist (or "service" has to be set)` });
    }
  });

const transparentProxying = z.strictObject({
  redirectPortInbound: portSchema.optional(),
  redirectPortOutbound: portSchema.optional(),
  redirectPortInboundV6: portSchema.optional(),
  directAccessServices: z.array(z.string()).optional(),
  reachableServices: z.array(z.string()).optional(),
  ipFamilyMode: z.enum(["UnSpecified", "DualStack", "IPv4", "IPv6"]).optional(),
});

export const dataplaneBody = z.strictObject({
  networking: z
    .strictObject({
      address: nonEmptyString,
      advertisedAddress: nonEmptyString.optional(),
      inbound: z.array(inbound).optional(),
      outbound: z.array(outbound).optional(),
      gateway: z.strictObject({ tags: serviceTags, type: z.enum(["DELEGATED", "BUILTIN"]).optional() }).optional(),
      transparentProxying: transparentProxying.optional(),
      admin: z.strictObject({ port: portSchema }).optional(),
    })
    .superRefine((networking, ctx) => {
      const inbounds = networking.inbound?.length ?? 0;
      if (inbounds === 0 && !networking.gateway) {
        ctx.addIssue({ code: "custom", path: ["inbound"], message: "has to contain at least one inbound interface or gateway" });
      }
      if (inbounds > 0 && networking.gateway) {
        ctx.addIssue({ code: "custom", path: ["gateway"], message: "cannot be defined both with inbound" });
      }
    }),
  metrics: z.strictObject({ name: z.string().optional(), type: z.literal("prometheus"), conf: prometheusConf.optional() }).optional(),
  probes: z
    .strictObject({
      port: portSchema,
      endpoints: z.array(z.strictObject({ inboundPort: portSchema, inboundPath: z.string(), path: z.string() })).optional(),
    })
    .optional(),
});
export type DataplaneBody = z.infer<typeof dataplaneBody>;
