/** A data plane proxy as the xDS server knows it: node id `<mesh>.<name>`, as Kuma names its proxies. */
export interface ProxyKey {
  mesh: string;
  name: string;
}

export const nodeIdOf = (proxy: ProxyKey) => `${proxy.mesh}.${proxy.name}`;

/** Mesh names have no dots, Dataplane names may: the mesh ends at the first dot. */
export function parseNodeId(id: string): ProxyKey | undefined {
  const dot = id.indexOf(".");
  if (dot <= 0 || dot === id.length - 1) return undefined;
  return { mesh: id.slice(0, dot), name: id.slice(dot + 1) };
}
