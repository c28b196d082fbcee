import type { ClusterLoadAssignment } from "@zonemesh/xds";
import { serviceCatalog, type ServiceInfo } from "./catalog";
import type { OutboundClusterSpec } from "./clusters";
import { loadAssignment } from "./endpoints";
import { OutboundCache } from "./outbound-cache";
import type { GenerateInput } from "./input";

export type MeshInput = Pick<GenerateInput, "mesh" | "dataplanes" | "zoneIngresses" | "localZone">;

/**
 * What every proxy of a mesh shares: its services with their endpoints, the endpoint assignments built from them, and
 * the outbound resources of proxies selected by the same policies (each built once, then the same object for every
 * proxy: treat generated resources as immutable). Build one per mesh state and pass it to generateProxyResources for
 * each proxy of that state, with the same `policies` array.
 */
export class MeshView {
  readonly services: ReadonlyMap<string, ServiceInfo>;
  /** Outbound listeners, routes and clusters, shared by proxies selected by the same policies. */
  readonly outbounds = new OutboundCache();
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
