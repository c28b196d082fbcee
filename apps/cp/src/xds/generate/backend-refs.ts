import type { ServiceInfo } from "./catalog";
import type { ClusterRefs } from "./cluster-refs";
import { serviceNameOf, type PolicyRef } from "@zonemesh/resources";
import type { Warn } from "./input";
import type { BackendRef } from "./policy-confs";

export interface RouteContext {
  catalog: ReadonlyMap<string, ServiceInfo>;
  clusters: Pick<ClusterRefs, "ref">;
  warn: Warn;
}

/** The clusters of a rule's backendRefs; refs to services nobody provides are dropped with a warning. */
export function backendClusters(refs: BackendRef[], origins: PolicyRef[], context: RouteContext): { name: string; weight: number }[] {
  const clusters: { name: string; weight: number }[] = [];
  for (const ref of refs) {
    const service = serviceNameOf(ref);
    if (!context.catalog.has(service)) {
      context.warn(origins, `backendRef ${ref.kind} ${JSON.stringify(service)} is not a known service of the mesh`);
      continue;
    }
    const weight = ref.weight ?? 1;
    if (weight > 0) clusters.push({ name: context.clusters.ref(service, ref.kind === "MeshServiceSubset" ? (ref.tags ?? {}) : {}), weight });
  }
  return clusters;
}
