import net from "node:net";
import tls from "node:tls";
import { typeNames, type Cluster, type ClusterLoadAssignment, type HttpProtocolOptions, type UpstreamTlsContext } from "@zonemesh/xds";
import { DnsEndpoints } from "./dns-endpoints";
import { durationMs } from "./duration";
import { endpointsOf, type UpstreamEndpoint } from "./endpoints";
import { startHealthChecks } from "./health-checker";
import { OutlierDetector, type OutlierResult } from "./outlier-detection";
import { PoolBudget } from "./pool-budget";
import { choosePriority, health, normalizedTotalHealth, type PriorityLevel } from "./priority-load";
import { UpstreamPool } from "./http/upstream-pool";
import { Http2Sessions } from "./http/http2-upstream";
import { createPicker, type Picker } from "./load-balancer";
import { drawByWeight } from "./weighted-choice";
import type { Runtime } from "./runtime";
import { peerSans, sansAllowed } from "./tls-context";
import { compileUpstreamTls, type UpstreamTls } from "./upstream-tls";

/** Envoy's default healthy_panic_threshold, in percent. */
const defaultPanicThreshold = 50;

/** Envoy's default overprovisioning factor, in percent: a priority keeps all its load down to 1/1.4 of its hosts. */
const defaultOverprovisioningFactor = 140;

/** Envoy's default circuit breaker thresholds. */
const defaultLimit = 1024;

interface Limits {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  maxRetries: number;
  /** Unlimited by default, as Envoy's. */
  maxConnectionPools: number | undefined;
}

function limitsOf(cluster: Cluster): Limits {
  const thresholds = cluster.circuit_breakers?.thresholds ?? [];
  if (thresholds.some((threshold) => (threshold.priority ?? "DEFAULT") !== "DEFAULT")) throw new Error(`cluster ${cluster.name}: circuit_breakers.thresholds with priority HIGH are not supported`);
  const threshold = thresholds[0];
  return {
    maxConnections: threshold?.max_connections?.value ?? defaultLimit,
    maxPendingRequests: threshold?.max_pending_requests?.value ?? defaultLimit,
    maxRequests: threshold?.max_requests?.value ?? defaultLimit,
    maxRetries: threshold?.max_retries?.value ?? 3,
    maxConnectionPools: threshold?.max_connection_pools?.value,
  };
}

/** Each priority of `all` (in order) with its hosts and how many of them are among `usable`. */
function priorityLevels(all: UpstreamEndpoint[], usable: UpstreamEndpoint[]): PriorityLevel[] {
  const levels = new Map<number, PriorityLevel>();
  for (const endpoint of all) {
    const level = levels.get(endpoint.priority) ?? { priority: endpoint.priority, available: 0, total: 0 };
    level.total++;
    levels.set(endpoint.priority, level);
  }
  for (const endpoint of usable) (levels.get(endpoint.priority) as PriorityLevel).available++;
  return [...levels.values()].sort((a, b) => a.priority - b.priority);
}

/** Neither failing health checks nor ejected by outlier detection. */
function isAvailable(endpoint: UpstreamEndpoint, now: number): boolean {
  return endpoint.healthy && !endpoint.activeHealth.failing && endpoint.outlier.ejectedUntil <= now;
}

const httpProtocolOptionsOf = (config: Cluster) => config.typed_extension_protocol_options?.[typeNames.httpProtocolOptions] as HttpProtocolOptions | undefined;

/** Whether the cluster's upstream HTTP protocol options choose HTTP/2. */
function speaksHttp2(config: Cluster): boolean {
  return httpProtocolOptionsOf(config)?.explicit_http_config?.http2_protocol_options !== undefined;
}

/** What an HTTP cluster offers by ALPN when its TLS context names nothing, as Envoy's HTTP/2 and HTTP/1.1 pools do. */
function alpnFallback(config: Cluster): string[] | undefined {
  const explicit = httpProtocolOptionsOf(config)?.explicit_http_config;
  if (explicit?.http2_protocol_options !== undefined) return ["h2"];
  if (explicit?.http_protocol_options !== undefined) return ["http/1.1"];
  return undefined;
}

/** A cluster as the engine runs it: endpoint selection, circuit breakers, outlier detection, upstream connections. */
export class ClusterRuntime {
  readonly name: string;
  readonly connectTimeoutMs: number;
  readonly #limits: Limits;
  readonly #panicThreshold: number;
  readonly #failOnPanic: boolean;
  /** common_lb_config.locality_weighted_lb_config: localities share their priority's requests by weight. */
  readonly #localityWeighted: boolean;
  readonly #pick: Picker;
  readonly #tls: { upstream: UpstreamTls; sni: string | undefined; alpn: string[] | undefined } | undefined;
  readonly #runtime: () => Runtime;
  #endpoints = new Map<string, UpstreamEndpoint>();
  /** Whether a request or a connection has been routed here (health checks use no_traffic_interval until then). */
  #hadTraffic = false;
  #endpointList: UpstreamEndpoint[] = [];
  #assignment: ClusterLoadAssignment | undefined;
  #activeRequests = 0;
  #activeRetries = 0;
  #activeConnections = 0;
  /** Keep-alive HTTP/1.1 connections to the endpoints, plain TCP or mTLS as connect() opens them. */
  readonly pool: UpstreamPool;
  /** With explicit_http_config.http2_protocol_options: HTTP requests go on HTTP/2 streams instead of the pool's connections. */
  readonly http2: Http2Sessions | undefined;
  readonly #tlsSessions = new WeakMap<object, Map<string, Buffer>>();
  readonly #stopHealthChecks: (() => void) | undefined;
  readonly #outliers: OutlierDetector | undefined;
  readonly #poolBudget: PoolBudget | undefined;
  /** STRICT_DNS and LOGICAL_DNS: the load_assignment's hostnames resolved to endpoints. */
  readonly #dns: DnsEndpoints | undefined;

  constructor(readonly config: Cluster, runtime: () => Runtime) {
    this.name = config.name;
    const type = config.type ?? "STATIC";
    if (!["STATIC", "EDS", "ORIGINAL_DST", "STRICT_DNS", "LOGICAL_DNS"].includes(type)) throw new Error(`cluster ${config.name}: type ${type} is not supported`);
    if (type === "STATIC" && !config.load_assignment) throw new Error(`cluster ${config.name}: a STATIC cluster needs load_assignment`);
    this.connectTimeoutMs = durationMs(config.connect_timeout, 5000);
    this.#limits = limitsOf(config);
    this.#panicThreshold = config.common_lb_config?.healthy_panic_threshold?.value ?? defaultPanicThreshold;
    this.#failOnPanic = config.common_lb_config?.zone_aware_lb_config?.fail_traffic_on_panic ?? false;
    this.#localityWeighted = config.common_lb_config?.locality_weighted_lb_config !== undefined;
    // An ORIGINAL_DST cluster has no endpoints of its own: only passthrough listeners use it, and they are not bound.
    this.#pick = type === "ORIGINAL_DST" ? () => undefined : createPicker(config.lb_policy, config);
    this.#runtime = runtime;
    const tlsContext = config.transport_socket?.typed_config as UpstreamTlsContext | undefined;
    const configuredAlpn = tlsContext?.common_tls_context?.alpn_protocols;
    const alpn = configuredAlpn && configuredAlpn.length > 0 ? configuredAlpn : alpnFallback(config);
    this.#tls = tlsContext ? { upstream: compileUpstreamTls(tlsContext.common_tls_context, `cluster ${config.name}: transport_socket`), sni: tlsContext.sni, alpn } : undefined;
    this.#dns = type === "STRICT_DNS" || type === "LOGICAL_DNS" ? new DnsEndpoints(config, () => runtime().stats.add("update_failure_total", { cluster: config.name })) : undefined;
    if ((config.health_checks?.length ?? 0) > 1) throw new Error(`cluster ${config.name}: only one health check is supported`);
    const healthCheck = config.health_checks?.[0];
    this.#outliers = config.outlier_detection ? new OutlierDetector(config.outlier_detection, () => this.#currentEndpoints()) : undefined;
    this.#stopHealthChecks = healthCheck
      ? startHealthChecks(healthCheck, config.name, { endpoints: () => this.#currentEndpoints(), connect: (host, port) => this.connect(host, port), hadTraffic: () => this.#hadTraffic })
      : undefined;
    const pools = this.#limits.maxConnectionPools;
    this.#poolBudget = pools === undefined ? undefined : new PoolBudget(pools, (except) => this.pool.closeIdleEndpoint(except) ?? this.http2?.closeIdle(except));
    const common = httpProtocolOptionsOf(config)?.common_http_protocol_options;
    const lifetime = { idleMs: durationMs(common?.idle_timeout, 3_600_000), maxAgeMs: durationMs(common?.max_connection_duration, 0) };
    this.pool = new UpstreamPool(this.#limits.maxConnections, (host, port) => this.connectForTraffic(host, port), lifetime);
    this.http2 = speaksHttp2(config) ? new Http2Sessions((host, port) => this.connectForTraffic(host, port), lifetime) : undefined;
    // Last, once nothing can throw: a refused cluster must leave no resolution timer behind.
    this.#dns?.start();
  }

  #currentEndpoints(): UpstreamEndpoint[] {
    const assignment = this.#dns ? this.#dns.assignment : (this.config.load_assignment ?? this.#runtime().endpoints.get(this.config.eds_cluster_config?.service_name ?? this.name));
    if (assignment !== this.#assignment) {
      this.#assignment = assignment;
      this.#endpoints = assignment ? endpointsOf(assignment, this.#endpoints) : new Map();
      this.#endpointList = [...this.#endpoints.values()];
    }
    return this.#endpointList;
  }

  /**
   * Until a DNS cluster's first resolution completes, what a request or connection waits on before picking a host
   * (at most connect_timeout), rather than failing as a cluster without hosts; undefined once resolved and for the
   * other clusters.
   */
  firstResolution(): Promise<void> | undefined {
    return this.#dns?.whenFirstResolved(this.connectTimeoutMs);
  }

  /**
   * A host as Envoy picks one. Ejected and unhealthy hosts are skipped; a priority takes its share of the requests by
   * Envoy's priority load (it spills to the next ones as its available share of hosts falls under 1/overprovisioning
   * factor). When the priorities together cannot take all the load (normalized total health under 100 %) and the
   * chosen one has fewer available hosts than the healthy panic threshold (default 50 %), it is in panic: its requests
   * go to all its hosts, or fail with `fail_traffic_on_panic`. A retry leaves `exclude`, the host it tried last (unless
   * it is the only one), and the `skippedPriorities` (unless nothing else is available).
   */
  pick(exclude?: UpstreamEndpoint, hash?: number, skippedPriorities?: ReadonlySet<number>): UpstreamEndpoint | undefined {
    this.#hadTraffic = true;
    const now = Date.now();
    const endpoints = this.#currentEndpoints();
    if (!exclude && !this.#localityWeighted && endpoints.length > 0 && endpoints.every((endpoint) => endpoint.weight > 0 && isAvailable(endpoint, now) && endpoint.priority === (endpoints[0] as UpstreamEndpoint).priority)) {
      // The usual case, every host available in one priority: no lists to build per request.
      return this.#pick(endpoints, hash);
    }
    const all = endpoints.filter((endpoint) => endpoint.weight > 0);
    if (all.length === 0) return undefined;
    const available = all.filter((endpoint) => isAvailable(endpoint, now));
    const others = available.length > 1 && exclude ? available.filter((endpoint) => endpoint !== exclude) : available;
    const unskipped = skippedPriorities ? others.filter((endpoint) => !skippedPriorities.has(endpoint.priority)) : others;
    const candidates = unskipped.length > 0 ? unskipped : others;
    const levels = priorityLevels(all, candidates);
    const factor = this.#overprovisioningFactor();
    const priority = choosePriority(levels, factor, Math.random()) as number;
    const level = levels.find((candidate) => candidate.priority === priority) as PriorityLevel;
    const panic = normalizedTotalHealth(levels, factor) < 100 && level.available * 100 < level.total * this.#panicThreshold;
    if (panic && this.#failOnPanic) return undefined;
    const pool = panic ? all.filter((endpoint) => endpoint.priority === priority && (endpoint !== exclude || level.total === 1)) : candidates.filter((endpoint) => endpoint.priority === priority);
    return this.#pick(this.#localityWeighted ? this.#localityOf(pool, all) : pool, hash);
  }

  /**
   * Envoy's locality weighted balancing: a locality of the priority is drawn by its weight times its health (its
   * available share of hosts times the overprovisioning factor, capped at 1), then a host in it.
   */
  #localityOf(candidates: UpstreamEndpoint[], all: UpstreamEndpoint[]): UpstreamEndpoint[] {
    const localities = new Map<string, { members: UpstreamEndpoint[]; total: number; weight: number }>();
    for (const endpoint of candidates) {
      const locality = localities.get(endpoint.locality) ?? { members: [], total: 0, weight: endpoint.localityWeight };
      locality.members.push(endpoint);
      localities.set(endpoint.locality, locality);
    }
    if (localities.size < 2) return candidates;
    for (const endpoint of all) {
      const locality = localities.get(endpoint.locality);
      if (locality) locality.total++;
    }
    const factor = this.#overprovisioningFactor();
    const weighted = [...localities.values()].map((locality) => ({ members: locality.members, weight: (locality.weight * health({ available: locality.members.length, total: locality.total }, factor)) / 100 }));
    return drawByWeight(weighted, (locality) => locality.weight)?.members ?? candidates;
  }

  #overprovisioningFactor(): number {
    return this.#assignment?.policy?.overprovisioning_factor?.value ?? defaultOverprovisioningFactor;
  }

  /** Circuit breaker for HTTP requests: false when max_requests, or connections plus pending requests, are exhausted. */
  startRequest(): boolean {
    const pending = this.#activeRequests - this.#limits.maxConnections;
    if (this.#activeRequests >= this.#limits.maxRequests || pending >= this.#limits.maxPendingRequests) return false;
    this.#activeRequests++;
    return true;
  }
  endRequest(): void {
    this.#activeRequests--;
  }
  startRetry(): boolean {
    if (this.#activeRetries >= this.#limits.maxRetries) return false;
    this.#activeRetries++;
    return true;
  }
  endRetry(): void {
    this.#activeRetries--;
  }
  /** Circuit breaker for TCP proxy connections. */
  startConnection(): boolean {
    if (this.#activeConnections >= this.#limits.maxConnections) return false;
    this.#activeConnections++;
    return true;
  }
  endConnection(): void {
    this.#activeConnections--;
  }

  /** What a request or a connection told about its host, for outlier detection. */
  recordResult(endpoint: UpstreamEndpoint, result: OutlierResult): void {
    this.#outliers?.record(endpoint, result);
  }

  /**
   * A connection that carries requests or a proxied TCP stream (health checks use `connect`): counted in the
   * endpoint's pool under max_connection_pools; throws PoolOverflow when no pool is free.
   */
  connectForTraffic(host: string, port: number): net.Socket {
    return this.#poolBudget ? this.#poolBudget.open(`${host}:${port}`, () => this.connect(host, port)) : this.connect(host, port);
  }

  /**
   * Opens an upstream connection: TLS when the cluster has an UpstreamTlsContext (mTLS with the SDS identity, or
   * inline material outside the mesh). A new connection offers the endpoint's last TLS session (as Envoy does): a
   * resumed handshake skips the certificate exchange and signatures. Sessions are kept per identity, so a rotated one
   * starts afresh, and per cluster, whose SAN matchers checked the peer when the session was made (Node skips
   * checkServerIdentity on a resumed one).
   */
  connect(host: string, port: number): net.Socket {
    const settings = this.#tls;
    if (!settings) return net.connect({ host, port, noDelay: true });
    const { upstream, sni, alpn } = settings;
    const material = upstream.material(this.#runtime().secrets);
    let sessions = this.#tlsSessions.get(material);
    if (!sessions) this.#tlsSessions.set(material, (sessions = new Map()));
    const key = `${host}:${port}`;
    const session = sessions.get(key);
    const socket = tls.connect({
      host,
      port,
      secureContext: material.context,
      rejectUnauthorized: upstream.verify,
      ...(session ? { session } : {}),
      ...(sni ? { servername: sni } : {}),
      ...(alpn ? { ALPNProtocols: alpn } : {}),
      checkServerIdentity: (_host, certificate) => (sansAllowed(upstream, peerSans(certificate)) ? undefined : new Error(`peer certificate SANs ${certificate.subjectaltname} match no SAN matcher of cluster ${this.name}`)),
    });
    socket.setNoDelay(true);
    const known = sessions;
    socket.on("session", (next: Buffer) => known.set(key, next));
    socket.once("secureConnect", () => {
      if (socket.isSessionReused()) this.#runtime().stats.add("ssl_session_reused_total", { cluster: this.name });
    });
    return socket;
  }

  close(): void {
    this.#dns?.close();
    this.#stopHealthChecks?.();
    this.#outliers?.close();
    this.pool.close();
    this.http2?.close();
  }
}
