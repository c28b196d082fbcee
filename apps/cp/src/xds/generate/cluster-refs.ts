import type { ServiceInfo } from "./catalog";
import type { OutboundClusterSpec } from "./clusters";
import { subsetClusterName } from "./names";

/** The outbound clusters listeners and routes point at, collected while they are built. */
export class ClusterRefs {
  private readonly specs = new Map<string, OutboundClusterSpec>();

  constructor(private readonly catalog: ReadonlyMap<string, ServiceInfo>) {}

  /** Names the cluster for a service, or for the subset of its endpoints with `tags`, and records it. */
  ref(service: string, tags: Record<string, string> = {}): string {
    const name = Object.keys(tags).length > 0 ? subsetClusterName(service, tags) : service;
    this.specs.set(name, { name, service, tags, protocol: this.catalog.get(service)?.protocol ?? "tcp" });
    return name;
  }

  all(): OutboundClusterSpec[] {
    return [...this.specs.values()];
  }
}
