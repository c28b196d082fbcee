import type { Metadata } from "@grpc/grpc-js";
import { dataplaneTags, type DataplaneBody, type Resource } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import type { XdsNode } from "@zonemesh/xds";
import { TokenError, type TokenService, type VerifiedToken } from "../../auth/tokens";
import { parseNodeIdentity, type ProxyKey } from "./proxy-id";

/** Node metadata key for proxies that cannot set gRPC metadata (a proxyless gRPC client's bootstrap can set node metadata only). */
export const NODE_TOKEN_KEY = "dataplane.token";

/** `kind` names the token in the messages: "dataplane" or "zone ingress". */
function presentedToken(node: XdsNode, metadata: Metadata, kind: string): string {
  const header = metadata.get("authorization")[0];
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(String(header));
    if (!match) throw new Error(`the "authorization" metadata must be "Bearer <${kind} token>"`);
    return match[1]!;
  }
  const fromNode = node.metadata[NODE_TOKEN_KEY];
  if (typeof fromNode === "string" && fromNode !== "") return fromNode;
  throw new Error(`no ${kind} token: send "authorization: Bearer <token>" as gRPC metadata or "${NODE_TOKEN_KEY}" in the node metadata`);
}

async function verified(tokens: TokenService, kind: "dataplane" | "zone-ingress", token: string, hint = ""): Promise<VerifiedToken> {
  try {
    return await tokens.verifyToken(kind, token);
  } catch (error) {
    if (error instanceof TokenError) throw new Error(`${kind.replace("-", " ")} token rejected: ${error.message}${hint}`);
    throw error;
  }
}

/** Kuma's rule: every tag the token names must be present on the Dataplane with one of the token's values. */
async function checkTags(store: ResourceStore, proxy: ProxyKey, tags: NonNullable<VerifiedToken["tags"]>): Promise<void> {
  const stored = await store.get({ type: "Dataplane", ...proxy });
  if (!stored) throw new Error(`the dataplane token is restricted to tags, and there is no Dataplane "${proxy.name}" in mesh "${proxy.mesh}" to check them on`);
  const sets = dataplaneTags({ type: "Dataplane", ...proxy, labels: stored.labels, body: stored.spec } as Resource<DataplaneBody>);
  for (const [key, allowed] of Object.entries(tags)) {
    const values = sets.map((set) => set.tags[key]);
    if (values.length === 0 || values.some((value) => value === undefined || !allowed.includes(value))) {
      throw new Error(`the dataplane token allows tag ${key} in [${allowed.join(", ")}]; the Dataplane has ${values.map((v) => v ?? "(none)").join(", ") || "no inbounds"}`);
    }
  }
}

/**
 * Checks a proxy's token against the node it claims to be. A dataplane `<mesh>.<name>` needs a dataplane token whose
 * mesh matches, and its name and tags when the token names them. A zone ingress `.<name>` needs a zone ingress token
 * for this zone. Throwing refuses the stream with the message as the reason.
 */
export function proxyAuthenticator(tokens: TokenService, store: ResourceStore, localZone: string) {
  return async (node: XdsNode, metadata: Metadata): Promise<void> => {
    const identity = parseNodeIdentity(node.id);
    if (!identity) throw new Error(`node id "${node.id}" is not of the form "<mesh>.<dataplane name>" (a dataplane) or ".<ingress name>" (a zone ingress)`);
    if (identity.kind === "ingress") {
      const hint = `; issue one on this control plane: POST /tokens/zone-ingress {"zone": "${localZone}"} (zmctl generate zone-ingress-token --zone ${localZone})`;
      const token = await verified(tokens, "zone-ingress", presentedToken(node, metadata, "zone ingress"), hint);
      if (token.zone !== localZone) throw new Error(`the zone ingress token is for zone "${token.zone}"; this control plane is zone "${localZone}"`);
      return;
    }
    const proxy = { mesh: identity.mesh, name: identity.name };
    const token = await verified(tokens, "dataplane", presentedToken(node, metadata, "dataplane"));
    if (token.mesh !== proxy.mesh) throw new Error(`the dataplane token is for mesh "${token.mesh}", not "${proxy.mesh}"`);
    if (token.name !== undefined && token.name !== proxy.name) throw new Error(`the dataplane token is for dataplane "${token.name}", not "${proxy.name}"`);
    if (token.proxyType !== undefined && token.proxyType !== "dataplane") throw new Error(`the token is for a zone ${token.proxyType}, not a dataplane`);
    if (token.tags) await checkTags(store, proxy, token.tags);
  };
}
