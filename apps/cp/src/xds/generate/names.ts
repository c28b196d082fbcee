// Resource names follow Kuma's, so config dumps and stats read the same as with kuma-cp.

export const listenerName = {
  inbound: (address: string, port: number) => `inbound:${address}:${port}`,
  outbound: (address: string, port: number) => `outbound:${address}:${port}`,
};

export const localClusterName = (servicePort: number) => `localhost:${servicePort}`;

/** Transparent proxying's redirect listeners and their original-destination clusters share these names. */
export const passthroughName = { inbound: "inbound:passthrough:ipv4", outbound: "outbound:passthrough:ipv4" };

export const secretName = {
  identity: (mesh: string) => `identity_cert:secret:${mesh}`,
  meshCa: (mesh: string) => `mesh_ca:secret:${mesh}`,
};

/** `kuma://<tag>/<value>`: the URI SAN Kuma puts in proxy certificates for each non-service tag. */
export const kumaTagUri = (key: string, value: string) => `kuma://${key}/${value}`;

/** Kuma's `tls.SNIFromTags`: `<service>{k1=v1,k2=v2}`, the other tags sorted by key; a zone ingress routes by it. */
export function sniFor(service: string, tags: Record<string, string>): string {
  const extra = Object.keys(tags)
    .sort()
    .map((key) => `${key}=${tags[key]}`)
    .join(",");
  return extra ? `${service}{${extra}}` : service;
}

/** A cluster for a subset of a service's endpoints (MeshServiceSubset backendRefs), named like its SNI without the mesh. */
export const subsetClusterName = (service: string, tags: Record<string, string>) => sniFor(service, tags);
