// The only place the CP reads its environment and command line.
import { parseArgs } from "node:util";
import { z } from "zod";

const configSchema = z
  .object({
    mode: z.enum(["global", "zone", "standalone"]),
    zone: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a DNS label (lowercase letters, digits, '-')").optional(),
    globalKdsAddress: z.string().optional(),
    zoneToken: z.string().min(1).optional(),
    /** Read again on every KDS (re)connect, so a rotated token is picked up without a restart. */
    zoneTokenFile: z.string().min(1).optional(),
    storeUrl: z.string().optional(),
    dataDir: z.string().default(".data/cp"),
    apiHost: z.string().default("127.0.0.1"),
    apiPort: z.coerce.number().int().min(0).max(65535).default(5681),
    kdsHost: z.string().default("0.0.0.0"),
    kdsPort: z.coerce.number().int().min(0).max(65535).default(5685),
    xdsPort: z.coerce.number().int().min(0).max(65535).default(5678),
    /** Kuma's KUMA_DEFAULTS_SKIP_MESH_CREATION: do not create the mesh `default` at start (global, standalone). */
    skipDefaultMesh: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if (c.mode === "zone" && !c.zone) ctx.addIssue({ code: "custom", path: ["zone"], message: "zone mode needs --zone (ZONEMESH_ZONE)" });
    if (c.mode === "zone" && !c.globalKdsAddress)
      ctx.addIssue({ code: "custom", path: ["globalKdsAddress"], message: "zone mode needs --global-kds-address (ZONEMESH_GLOBAL_KDS_ADDRESS)" });
    if (c.mode === "zone" && !c.zoneToken && !c.zoneTokenFile)
      ctx.addIssue({
        code: "custom",
        path: ["zoneToken"],
        message: "zone mode needs a zone token issued by the global CP: --zone-token-file (ZONEMESH_ZONE_TOKEN_FILE) or ZONEMESH_ZONE_TOKEN",
      });
  });

export type CpConfig = z.infer<typeof configSchema>;

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): CpConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      mode: { type: "string" },
      zone: { type: "string" },
      "global-kds-address": { type: "string" },
      "zone-token-file": { type: "string" },
      "store-url": { type: "string" },
      "data-dir": { type: "string" },
      "api-host": { type: "string" },
      "api-port": { type: "string" },
      "kds-host": { type: "string" },
      "kds-port": { type: "string" },
      "xds-port": { type: "string" },
      "skip-default-mesh": { type: "boolean" },
    },
  });
  const parsed = configSchema.safeParse({
    mode: values.mode ?? env.ZONEMESH_MODE ?? "standalone",
    zone: values.zone ?? env.ZONEMESH_ZONE,
    globalKdsAddress: values["global-kds-address"] ?? env.ZONEMESH_GLOBAL_KDS_ADDRESS,
    zoneToken: env.ZONEMESH_ZONE_TOKEN || undefined,
    zoneTokenFile: values["zone-token-file"] ?? env.ZONEMESH_ZONE_TOKEN_FILE,
    storeUrl: values["store-url"] ?? env.ZONEMESH_STORE_URL,
    dataDir: values["data-dir"] ?? env.ZONEMESH_DATA_DIR,
    apiHost: values["api-host"] ?? env.ZONEMESH_API_HOST,
    apiPort: values["api-port"] ?? env.ZONEMESH_API_PORT,
    kdsHost: values["kds-host"] ?? env.ZONEMESH_KDS_HOST,
    kdsPort: values["kds-port"] ?? env.ZONEMESH_KDS_PORT,
    xdsPort: values["xds-port"] ?? env.ZONEMESH_XDS_PORT,
    skipDefaultMesh: values["skip-default-mesh"] ?? env.ZONEMESH_SKIP_DEFAULT_MESH === "true",
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(config)"}: ${i.message}`);
    throw new Error(`invalid control plane configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
