// The versions a proxy reports, for its DataplaneInsight subscription: kuma-dp (and zonemesh-dp) put Kuma's
// `Version` message ({kumaDp, envoy, dependencies}) in node metadata `version`; a bare Envoy only has its user agent.
import { z } from "zod";
import type { XdsNode } from "@zonemesh/xds";

const metadataVersion = z.object({
  kumaDp: z
    .object({
      version: z.string().optional(),
      gitTag: z.string().optional(),
      gitCommit: z.string().optional(),
      buildDate: z.string().optional(),
      kumaCpCompatible: z.boolean().optional(),
    })
    .optional(),
  envoy: z.object({ version: z.string().optional(), build: z.string().optional(), kumaDpCompatible: z.boolean().optional() }).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
});
export type ProxyVersion = z.infer<typeof metadataVersion>;

/** The proxy's versions, or undefined when it reports none. Malformed metadata counts as none: it must not refuse the stream. */
export function proxyVersionOf(node: XdsNode): ProxyVersion | undefined {
  const reported = metadataVersion.safeParse(node.metadata["version"]);
  if (reported.success && (reported.data.kumaDp || reported.data.envoy)) return reported.data;
  return node.userAgent ? { envoy: { version: node.userAgent } } : undefined;
}
