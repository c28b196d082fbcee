import type { PolicyRef, PolicyResource } from "@zonemesh/resources";
import type { ClusterLoadAssignment } from "@zonemesh/xds";
import { leftOutExternalServices, serviceCatalog, type ServiceInfo } from "./catalog";
import type { OutboundClusterSpec } from "./clusters";
import { loadAssignment } from "./endpoints";
import { OutboundCache } from "./outbound-cache";
import type { DataplaneResource, GenerateInput, Warn } from "./input";
import { PolicySelectors, proxyPolicies } from "./proxy-policies";
import type { ProxyPolicies } from "./resolved-policies";
import type { ZonePriorities } from "./zone-priorities";

export type MeshInput = Pick<GenerateInput, "mesh" | "dataplanes" | "zoneIngresses" | "localZone" | "externalServices">;

/**
 * What every proxy of a mesh shares: its services with their endpoints, the endpoint assignments built from them, and
 * the outbound resources of proxies selected by the same policies (each built once, then the same object for every
 * proxy: treat generated resources as immutable). Build one per mesh state and pass it to generateProxyResources for
 * each proxy of that state, with the same `policies` array.
 */
export class MeshView {
  readonly services: ReadonlyMap<string, ServiceInfo>;
  /** The ExternalServices not in `services`, with why: warned about in every proxy's generation. */
  readonly leftOutExternalServices: { origin: PolicyRef; reason: string }[];
  /** Outbound listeners, routes and clusters, shared by proxies selected by the same policies. */
  readonly outbounds = new OutboundCache();
  private readonly assignments = new Map<string, ClusterLoadAssignment>();
  /** Per policy list, per selection key: what the matcher resolved, with the warnings it gave. */
  private readonly policies = new WeakMap<PolicyResource[], { selectors: PolicySelectors; byKey: Map<string, { resolved: ProxyPolicies; warnings: [PolicyRef[], string][] }> }>();

  constructor(private readonly input: MeshInput) {
    this.services = serviceCatalog(input);
    this.leftOutExternalServices = leftOutExternalServices(input.externalServices ?? [], this.services);
  }

  /**
   * The policies of a proxy: proxies selected by the same policies on the same inbounds get the same rules, so the
   * matcher runs once for them all (it was most of a proxy's generation time).
   */
  policiesFor(dataplane: DataplaneResource, policies: PolicyResource[], warn: Warn): ProxyPolicies {
    let known = this.policies.get(policies);
    if (!known) this.policies.set(policies, (known = { selectors: new PolicySelectors(policies), byKey: new Map() }));
    const { byKey } = known;
    const key = known.selectors.keyOf(dataplane);
    let entry = byKey.get(key);
    if (!entry) {
      const warnings: [PolicyRef[], string][] = [];
      entry = { resolved: proxyPolicies(dataplane, policies, (origins, reason) => warnings.push([origins, reason])), warnings };
      byKey.set(key, entry);
    }
    for (const [origins, reason] of entry.warnings) warn(origins, reason);
    return entry.resolved;
  }

  loadAssignment(spec: OutboundClusterSpec, zones: ZonePriorities): ClusterLoadAssignment {
    const key = `${zones.key}|${spec.name}`;
    let assignment = this.assignments.get(key);
    if (!assignment) {
      assignment = loadAssignment(spec.name, this.services.get(spec.service)?.endpoints ?? [], spec.tags, zones);
      this.assignments.set(key, assignment);
    }
    return assignment;
  }
}
