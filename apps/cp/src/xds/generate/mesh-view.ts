import type { ClusterLoadAssignment } from "@zonemesh/xds";
import { serviceCatalog, type ServiceInfo } from "./catalog";
import type { OutboundClusterSpec } from "./clusters";
import { loadAssignment } from "./endpoints";
import type { GenerateInput } from "./input";

export type MeshInput = Pick<GenerateInput, "mesh" | "dataplanes" | "zoneIngresses" | "localZone">;

/**
 * What every proxy of a mesh shares: its services with their endpoints, and the endpoint assignments built from them
 * (each built once, then the same object for every proxy; treat them as immutable). Build one per mesh state and pass it
 * to generateProxyResources for each proxy of that state.
 */
export class MeshView {
  readonly services: ReadonlyMap<string, ServiceInfo>;
  private readonly assignments = new Map<string, ClusterLoadAssignment>();

  constructor(private readonly input: MeshInput) {
    this.services = serviceCatalog(input);
  }

  loadAssignment(spec: OutboundClusterSpec, localityAware: boolean): ClusterLoadAssignment {
    const key = `${localityAware}|${spec.name}`;
    let assignment = this.assignments.get(key);
    if (!assignment) {
      assignment = loadAssignment(spec.name, this.services.get(spec.service)?.endpoints ?? [], spec.tags, this.input.localZone, localityAware);
      this.assignments.set(key, assignment);
    }
    return assignment;
  }
}
