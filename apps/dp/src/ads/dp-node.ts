// The node the built-in proxy introduces itself with on ADS. As kuma-dp does, it names its version in
// user_agent_name/user_agent_version and in node metadata `version` ({kumaDp, envoy}), which the CP copies into
// the proxy's DataplaneInsight subscription. There is no Envoy: the engine is built in.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { jsonToStruct, type WireNode } from "@zonemesh/xds";

export const DP_USER_AGENT = "zonemesh-dp";
export const ADMIN_PORT_METADATA = "dataplane.admin.port";

export const dpVersion: string = z
  .object({ version: z.string().min(1) })
  .parse(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"))).version;

/** Kuma's defaults for build facts a build did not stamp in. */
const UNKNOWN = "unknown";

export function dpNode(nodeId: string, adminPort: number): WireNode {
  return {
    id: nodeId,
    user_agent_name: DP_USER_AGENT,
    user_agent_version: dpVersion,
    metadata: jsonToStruct({
      version: {
        kumaDp: { version: dpVersion, gitTag: UNKNOWN, gitCommit: UNKNOWN, buildDate: UNKNOWN },
        envoy: { version: "built-in", build: `${DP_USER_AGENT}/${dpVersion}`, kumaDpCompatible: true },
      },
      // As kuma-dp: where the admin endpoint listens, which the CP's metrics listener routes Prometheus to.
      [ADMIN_PORT_METADATA]: adminPort,
    }),
  };
}
