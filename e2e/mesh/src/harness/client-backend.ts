import { freePort } from "@zonemesh/testing";
import { dataplaneYaml } from "./workloads";
import type { ZoneCluster } from "./zone-cluster";

/** Kuma's allow-all: every caller of the mesh may call every service (a mesh with mTLS denies all without one). */
export const allowAll = (mesh: string) => ({
  type: "MeshTrafficPermission",
  mesh,
  name: "allow-all",
  spec: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] },
});

/**
 * The pair many tests stand on, in one zone: `backend` (HTTP) served at `backendPort` behind its dp, and `client`'s dp
 * with an outbound port to it. Returns backend's inbound port and client's outbound port.
 */
export async function startClientAndBackend(cluster: ZoneCluster, zone: string, backendPort: number): Promise<{ inbound: number; outbound: number }> {
  const [inbound, outbound] = [await freePort(), await freePort()];
  await Promise.all([
    cluster.startDataplane({ zone, yaml: dataplaneYaml({ name: "backend", inbound: { port: inbound, servicePort: backendPort, tags: { "kuma.io/service": "backend", "kuma.io/protocol": "http" } } }) }),
    cluster.startDataplane({
      zone,
      yaml: dataplaneYaml({
        name: "client",
        inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "client", "kuma.io/protocol": "http" } },
        outbound: [{ port: outbound, service: "backend" }],
      }),
    }),
  ]);
  return { inbound, outbound };
}
