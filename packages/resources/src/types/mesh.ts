import { z } from "zod";
import { durationSchema, longDurationSchema } from "../common/duration";
import { dataSourceSchema as dataSource } from "../common/data-source";
import { nonEmptyString, portSchema } from "../common/fields";

const builtinCaConf = z.strictObject({
  caCert: z.strictObject({ RSAbits: z.number().int().min(2048).optional(), expiration: longDurationSchema.optional() }).optional(),
});

const providedCaConf = z.strictObject({ cert: dataSource, key: dataSource });

const mtlsBackendBase = {
  name: nonEmptyString,
  dpCert: z
    .strictObject({
      rotation: z.strictObject({ expiration: longDurationSchema }).optional(),
      requestTimeout: durationSchema.optional(),
    })
    .optional(),
  mode: z.enum(["STRICT", "PERMISSIVE"]).optional(),
  rootChain: z.strictObject({ requestTimeout: durationSchema.optional() }).optional(),
};

const mtlsBackend = z.discriminatedUnion("type", [
  z.strictObject({ ...mtlsBackendBase, type: z.literal("builtin"), conf: builtinCaConf.optional() }),
  z.strictObject({ ...mtlsBackendBase, type: z.literal("provided"), conf: providedCaConf }),
  z.strictObject({ ...mtlsBackendBase, type: z.enum(["vault", "acmpca", "certmanager"]), conf: z.record(z.string(), z.unknown()) }),
], { error: (issue) => (issue.code === "invalid_union" ? 'type must be one of "builtin", "provided", "vault", "acmpca", "certmanager"' : undefined) });

const mtls = z
  .strictObject({
    enabledBackend: z.string().optional(),
    backends: z.array(mtlsBackend).optional(),
    skipValidation: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    value.backends?.forEach((backend, index) => {
      if (value.backends?.findIndex((other) => other.name === backend.name) !== index) {
        ctx.addIssue({ code: "custom", path: ["backends", index, "name"], message: `"${backend.name}" is already used by another backend` });
      }
    });
    if (value.enabledBackend && !value.backends?.some((backend) => backend.name === value.enabledBackend)) {
      ctx.addIssue({ code: "custom", path: ["enabledBackend"], message: `has to be set to one of the backends in the mesh` });
    }
  });

const backendConf = z.record(z.string(), z.unknown()).optional();
const loggingBackend = z.strictObject({ name: nonEmptyString, type: z.enum(["file", "tcp"]), format: z.string().optional(), conf: backendConf });
const tracingBackend = z.strictObject({
  name: nonEmptyString,
  type: z.enum(["zipkin", "datadog"]),
  sampling: z.number().min(0).max(100).optional(),
  conf: backendConf,
});

/** A prometheus metrics backend's `conf`, on the Mesh or overridden by a Dataplane's `metrics`. */
export const prometheusConf = z.strictObject({
  port: portSchema.optional(),
  path: z.string().optional(),
  skipMTLS: z.boolean().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  tls: z.strictObject({ mode: z.enum(["disabled", "activeMTLSBackend", "providedTLS"]).optional() }).optional(),
  envoy: z.strictObject({ filterRegex: z.string().optional(), usedOnly: z.boolean().optional() }).optional(),
  aggregate: z
    .array(z.strictObject({ name: nonEmptyString, port: portSchema, path: z.string().optional(), enabled: z.boolean().optional(), address: z.string().optional() }))
    .optional(),
});

export const meshBody = z.strictObject({
  mtls: mtls.optional(),
  tracing: z.strictObject({ defaultBackend: z.string().optional(), backends: z.array(tracingBackend).optional() }).optional(),
  logging: z.strictObject({ defaultBackend: z.string().optional(), backends: z.array(loggingBackend).optional() }).optional(),
  metrics: z
    .strictObject({
      enabledBackend: z.string().optional(),
      backends: z.array(z.strictObject({ name: nonEmptyString, type: z.literal("prometheus"), conf: prometheusConf.optional() })).optional(),
    })
    .optional(),
  networking: z.strictObject({ outbound: z.strictObject({ passthrough: z.boolean().optional() }).optional() }).optional(),
  routing: z
    .strictObject({
      localityAwareLoadBalancing: z.boolean().optional(),
      zoneEgress: z.boolean().optional(),
      defaultForbidMeshExternalServiceAccess: z.boolean().optional(),
    })
    .optional(),
  constraints: z
    .strictObject({
      dataplaneProxy: z
        .strictObject({
          requirements: z.array(z.strictObject({ tags: z.record(z.string(), z.string()) })).optional(),
          restrictions: z.array(z.strictObject({ tags: z.record(z.string(), z.string()) })).optional(),
        })
        .optional(),
    })
    .optional(),
  skipCreatingInitialPolicies: z.array(z.string()).optional(),
  meshServices: z.strictObject({ mode: z.enum(["Disabled", "Everywhere", "ReachableBackends", "Exclusive"]) }).optional(),
});
export type MeshBody = z.infer<typeof meshBody>;

/** The mTLS backend the Mesh enables, when it names one it defines. */
export function enabledMtlsBackend(mesh: MeshBody) {
  return mesh.mtls?.backends?.find((backend) => backend.name === mesh.mtls?.enabledBackend);
}
