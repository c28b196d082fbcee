import { z } from "zod";
import type { XdsNode } from "@zonemesh/xds";

const port = z.coerce.number().int().min(1).max(65535);

/**
 * Where the proxy's admin endpoint listens on 127.0.0.1: kuma-dp (and zonemesh-dp) send it in node metadata
 * `dataplane.admin.port`. Undefined when absent or malformed: it must not refuse the stream.
 */
export function adminPortOf(node: XdsNode): number | undefined {
  const parsed = port.safeParse(node.metadata["dataplane.admin.port"]);
  return parsed.success ? parsed.data : undefined;
}
