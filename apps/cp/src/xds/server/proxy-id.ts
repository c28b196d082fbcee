/** A data plane proxy as the xDS server knows it: node id `<mesh>.<name>`, as Kuma names its proxies. */
export interface ProxyKey {
  mesh: string;
  name: string;
}

/** Who an xDS node is: a dataplane of a mesh, or a zone ingress (Kuma's id of a proxy without a mesh: `.<name>`). */
export type NodeIdentity = ({ kind: "dataplane" } & ProxyKey) | { kind: "ingress"; name: string };

export const nodeIdOf = (proxy: ProxyKey) => `${proxy.mesh}.${proxy.name}`;
export const ingressNodeIdOf = (name: string) => `.${name}`;

/** Mesh names have no dots, Dataplane names may: the mesh ends at the first dot. */
export function parseNodeId(id: string): ProxyKey | undefined {
  const dot = id.indexOf(".");
  if (dot <= 0 || dot === id.length - 1) return undefined;
  return { mesh: id.slice(0, dot), name: id.slice(dot + 1) };
}

export function parseNodeIdentity(id: string): NodeIdentity | undefined {
  if (id.startsWith(".")) return id.length > 1 ? { kind: "ingress", name: id.slice(1) } : undefined;
  const proxy = parseNodeId(id);
  return proxy && { kind: "dataplane", ...proxy };
}
