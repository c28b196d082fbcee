import type { PolicyRef } from "@zonemesh/resources";
import type { Cluster, Listener } from "@zonemesh/xds";
import { inboundListenersAndClusters } from "./inbound-listeners";
import type { DataplaneResource, GenerateInput, Warn } from "./input";
import type { ProxyPolicies } from "./resolved-policies";

interface BuiltInbounds {
  mesh: GenerateInput["mesh"];
  policiesKey: string;
  built: { listeners: Listener[]; clusters: Cluster[] };
  warnings: [PolicyRef[], string][];
}

/**
 * The last inbound resources built for each Dataplane object (a store read of the Dataplane gives a new object, and
 * the entry goes with the old one). They depend only on the Dataplane, its mesh and the policies on its inbounds.
 */
const lastBuilt = new WeakMap<DataplaneResource, BuiltInbounds>();

/**
 * A proxy's inbound listeners and clusters, the same objects as last time when its Dataplane, mesh and inbound
 * policies are: a policy change elsewhere (say, a mesh-wide outbound timeout) then costs the snapshot cache neither
 * hashing nor encoding them, which was most of such a push per proxy. A reuse replays the warnings of the build.
 */
export function inboundResources(input: GenerateInput, policies: ProxyPolicies, warn: Warn): { listeners: Listener[]; clusters: Cluster[] } {
  const policiesKey = (input.dataplane.body.networking.inbound ?? []).map((inbound) => policies.inboundKey(inbound)).join("\n");
  const last = lastBuilt.get(input.dataplane);
  if (last && last.mesh === input.mesh && last.policiesKey === policiesKey) {
    for (const [origins, reason] of last.warnings) warn(origins, reason);
    return last.built;
  }
  const warnings: [PolicyRef[], string][] = [];
  const built = inboundListenersAndClusters(input, policies, (origins, reason) => {
    warnings.push([origins, reason]);
    warn(origins, reason);
  });
  lastBuilt.set(input.dataplane, { mesh: input.mesh, policiesKey, built, warnings });
  return built;
}
