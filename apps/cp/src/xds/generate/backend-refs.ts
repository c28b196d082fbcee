import type { ServiceInfo } from "./catalog";
import type { ClusterRefs } from "./cluster-refs";
import type { PolicyRef } from "@zonemesh/resources";
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
    if (!context.catalog.has(ref.name)) {
      context.warn(origins, `backendRef ${ref.kind} ${JSON.stringify(ref.name)} is not a known service of the mesh`);
      continue;
    }
    const weight = ref.weight ?? 1;
    if (weight > 0) clusters.push({ name: context.clusters.ref(ref.name, ref.kind === "MeshServiceSubset" ? (ref.tags ?? {}) : {}), weight });
  }
  return clusters;
}
