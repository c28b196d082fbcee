import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseProxyDocument, type ProxyDocument, type ProxyType } from "./proxy-document";

export interface RunOptions {
  cpAddress: string;
  cpApiUrl: string;
  document: ProxyDocument;
  proxyType: ProxyType;
  token: string | undefined;
  dnsPort: number | undefined;
  adminPort: number;
}

export const usage = `usage: zonemesh-dp run --cp-address HOST:PORT (--dataplane-file FILE | --dataplane YAML) [--dataplane-token-file FILE]
                       [--cp-api-url URL] [--dns-port N] [--admin-port N] [--proxy-type dataplane|ingress]`;

const port = z.coerce.number().int().min(0).max(65535);
const flags = z
  .object({
    "cp-address": z.string().regex(/^[^:\s]+:\d+$/, "must be HOST:PORT"),
    "cp-api-url": z.url().default("http://127.0.0.1:5681"),
    "dataplane-file": z.string().optional(),
    dataplane: z.string().optional(),
    "dataplane-token-file": z.string().optional(),
    "dns-port": port.optional(),
    "admin-port": port.default(9901),
    "proxy-type": z.enum(["dataplane", "ingress"]).default("dataplane"),
  })
  .refine((value) => (value["dataplane-file"] === undefined) !== (value.dataplane === undefined), { message: "give exactly one of --dataplane-file and --dataplane", path: ["dataplane"] })
  .refine((value) => value["proxy-type"] !== "ingress" || value["dns-port"] === undefined, { message: "a zone ingress runs no DNS server (it only forwards other zones' TLS connections by SNI)", path: ["dns-port"] });

export function parseRunOptions(args: string[]): RunOptions {
  const { values } = parseArgs({
    args,
    options: {
      "cp-address": { type: "string" },
      "cp-api-url": { type: "string" },
      "dataplane-file": { type: "string" },
      dataplane: { type: "string" },
      "dataplane-token-file": { type: "string" },
      "dns-port": { type: "string" },
      "admin-port": { type: "string" },
      "proxy-type": { type: "string" },
    },
    strict: true,
  });
  const checked = flags.safeParse(values);
  if (!checked.success) throw new Error(checked.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
  const options = checked.data;
  const text = options.dataplane ?? readFileSync(options["dataplane-file"] as string, "utf8");
  return {
    cpAddress: options["cp-address"],
    cpApiUrl: options["cp-api-url"],
    document: parseProxyDocument(text, options["proxy-type"]),
    proxyType: options["proxy-type"],
    token: options["dataplane-token-file"] ? readFileSync(options["dataplane-token-file"], "utf8").trim() : undefined,
    dnsPort: options["dns-port"],
    adminPort: options["admin-port"],
  };
}
