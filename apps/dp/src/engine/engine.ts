import { typeUrls, type Cluster, type ClusterLoadAssignment, type HttpConnectionManager, type Listener, type RouteConfiguration, type Secret, type TransportSocket, type UpstreamTlsContext, type DownstreamTlsContext } from "@zonemesh/xds";
import { unsupportedFields, type Shape } from "../config/field-spec";
import { clusterFields, clusterLoadAssignmentFields, listenerFields, routeConfigurationFields, secretFields } from "../config/supported-fields";
import { ClusterRuntime } from "./cluster";
import { compileRouteTable, type RouteTable } from "./http/route-table";
import { compileListener, type CompiledListener } from "./listener";
import { ListenerSet } from "./listener-set";
import type { Runtime } from "./runtime";
import { Stats } from "./stats";

export interface AcceptedConfig {
  listeners: Listener[];
  clusters: Cluster[];
  endpoints: ClusterLoadAssignment[];
  routes: RouteConfiguration[];
  secrets: Secret[];
}

const redacted = { inline_string: "[redacted]" };

/** A cluster with the private keys of its inline client certificates redacted. */
function redactedCluster(cluster: Cluster): Cluster {
  const context = cluster.transport_socket?.typed_config as (UpstreamTlsContext & { "@type": string }) | undefined;
  const common = context?.common_tls_context;
  if (!context || !common?.tls_certificates) return cluster;
  const typedConfig = { ...context, common_tls_context: { ...common, tls_certificates: common.tls_certificates.map((certificate) => ({ ...certificate, private_key: redacted })) } };
  return { ...cluster, transport_socket: { ...(cluster.transport_socket as TransportSocket), typed_config: typedConfig } };
}

const fieldsByType: Record<string, { key: keyof AcceptedConfig; fields: Shape; nameOf: (resource: never) => string }> = {
  [typeUrls.listener]: { key: "listeners", fields: listenerFields, nameOf: (resource: Listener) => resource.name },
  [typeUrls.cluster]: { key: "clusters", fields: clusterFields, nameOf: (resource: Cluster) => resource.name },
  [typeUrls.endpoint]: { key: "endpoints", fields: clusterLoadAssignmentFields, nameOf: (resource: ClusterLoadAssignment) => resource.cluster_name },
  [typeUrls.route]: { key: "routes", fields: routeConfigurationFields, nameOf: (resource: RouteConfiguration) => resource.name },
  [typeUrls.secret]: { key: "secrets", fields: secretFields, nameOf: (resource: Secret) => resource.name },
};

/**
 * The built-in data plane: applies xDS resources (plain Envoy v3 objects) one type at a time, as an ADS client
 * receives them. A type's update is validated and compiled as a whole before anything changes; a rejected
 * update (unsupported field, bad value, unbindable address) throws and leaves the running config untouched.
 */
export class Engine {
  readonly stats = new Stats();
  readonly #listeners = new ListenerSet();
  #compiledListeners = new Map<string, CompiledListener>();
  readonly #accepted: AcceptedConfig = { listeners: [], clusters: [], endpoints: [], routes: [], secrets: [] };
  #runtime: Runtime = { clusters: new Map(), endpoints: new Map(), routes: new Map(), secrets: new Map(), stats: this.stats };
  readonly #getRuntime = () => this.#runtime;

  async apply(typeUrl: string, resources: object[]): Promise<void> {
    const type = fieldsByType[typeUrl];
    if (!type) throw new Error(`resource type ${typeUrl} is not supported`);
    const errors = resources.flatMap((resource) => unsupportedFields(resource, type.fields).map((error) => `${typeUrl.slice(typeUrl.lastIndexOf(".") + 1)} ${JSON.stringify(type.nameOf(resource as never))}: ${error}`));
    if (errors.length > 0) throw new Error(`the built-in engine does not support: ${errors.join("; ")}`);
    switch (type.key) {
      case "listeners":
        await this.#applyListeners(resources as Listener[]);
        break;
      case "clusters":
        this.#applyClusters(resources as Cluster[]);
        break;
      case "routes": {
        const tables = new Map<string, RouteTable>((resources as RouteConfiguration[]).map((config) => [config.name, compileRouteTable(config)]));
        this.#runtime = { ...this.#runtime, routes: tables };
        break;
      }
      case "endpoints":
        this.#runtime = { ...this.#runtime, endpoints: new Map((resources as ClusterLoadAssignment[]).map((assignment) => [assignment.cluster_name, assignment])) };
        break;
      case "secrets":
        this.#runtime = { ...this.#runtime, secrets: new Map((resources as Secret[]).map((secret) => [secret.name, secret])) };
        break;
    }
    (this.#accepted[type.key] as object[]) = resources;
  }

  /**
   * Transparent proxying's passthrough listeners (use_original_dst) receive what iptables redirects; the
   * built-in engine has no redirection (it binds VIP listeners on loopback aliases instead), so they are
   * compiled but not bound, and reported by unboundListeners().
   */
  async #applyListeners(listeners: Listener[]): Promise<void> {
    // An unchanged listener keeps its compiled form: Envoy ignores an identical update, and a new form would drain
    // (close) the listener's idle keep-alive connections on every LDS push, racing requests peers send on them.
    const compiled = listeners.map((listener) => {
      const known = this.#compiledListeners.get(listener.name);
      return known && JSON.stringify(known.config) === JSON.stringify(listener) ? known : compileListener(listener, this.#getRuntime);
    });
    await this.#listeners.apply(compiled.filter((listener) => !listener.config.use_original_dst?.value));
    this.#compiledListeners = new Map(compiled.map((listener) => [listener.name, listener]));
  }

  unboundListeners(): { name: string; reason: string }[] {
    return this.#accepted.listeners.filter((listener) => listener.use_original_dst?.value).map((listener) => ({ name: listener.name, reason: "use_original_dst needs iptables redirection, which the built-in engine does not set up" }));
  }

  #applyClusters(clusters: Cluster[]): void {
    const previous = this.#runtime.clusters;
    const next = new Map<string, ClusterRuntime>();
    try {
      for (const cluster of clusters) {
        const known = previous.get(cluster.name);
        // An unchanged cluster keeps its connection pool, circuit breaker counters, outlier and health state.
        next.set(cluster.name, known && JSON.stringify(known.config) === JSON.stringify(cluster) ? known : new ClusterRuntime(cluster, this.#getRuntime));
      }
    } catch (error) {
      for (const [name, cluster] of next) if (previous.get(name) !== cluster) cluster.close();
      throw error;
    }
    this.#runtime = { ...this.#runtime, clusters: next };
    for (const [name, cluster] of previous) if (next.get(name) !== cluster) cluster.close();
  }

  /** The RDS, EDS and SDS names the accepted listeners and clusters refer to: what the ADS client subscribes to. */
  referencedNames(): { routes: string[]; endpoints: string[]; secrets: string[] } {
    const routes = new Set<string>();
    const secrets = new Set<string>();
    const endpoints = new Set<string>();
    const addSecrets = (context: UpstreamTlsContext | DownstreamTlsContext | undefined) => {
      const common = context?.common_tls_context;
      for (const config of common?.tls_certificate_sds_secret_configs ?? []) secrets.add(config.name);
      const validation = common?.combined_validation_context?.validation_context_sds_secret_config ?? common?.validation_context_sds_secret_config;
      if (validation) secrets.add(validation.name);
    };
    for (const listener of this.#accepted.listeners) {
      for (const chain of [...(listener.filter_chains ?? []), ...(listener.default_filter_chain ? [listener.default_filter_chain] : [])]) {
        addSecrets(chain.transport_socket?.typed_config as DownstreamTlsContext | undefined);
        for (const filter of chain.filters ?? []) {
          const name = (filter.typed_config as HttpConnectionManager | undefined)?.rds?.route_config_name;
          if (name !== undefined) routes.add(name);
        }
      }
    }
    for (const cluster of this.#accepted.clusters) {
      if (cluster.type === "EDS") endpoints.add(cluster.eds_cluster_config?.service_name ?? cluster.name);
      addSecrets(cluster.transport_socket?.typed_config as UpstreamTlsContext | undefined);
    }
    return { routes: [...routes].sort(), endpoints: [...endpoints].sort(), secrets: [...secrets].sort() };
  }

  /** The accepted resources, private keys (of secrets, of clusters' inline certificates) redacted. */
  configDump(): AcceptedConfig & { unboundListeners: { name: string; reason: string }[] } {
    return {
      ...this.#accepted,
      unboundListeners: this.unboundListeners(),
      clusters: this.#accepted.clusters.map(redactedCluster),
      secrets: this.#accepted.secrets.map((secret) => (secret.tls_certificate ? { ...secret, tls_certificate: { ...secret.tls_certificate, private_key: redacted } } : secret)),
    };
  }

  async close(): Promise<void> {
    await this.#listeners.close();
    for (const cluster of this.#runtime.clusters.values()) cluster.close();
  }
}
