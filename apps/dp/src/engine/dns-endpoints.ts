import dns from "node:dns";
import net from "node:net";
import type { Cluster, ClusterLoadAssignment } from "@zonemesh/xds";
import { durationMs } from "./duration";

/** dns.promises.lookup with `all`: injectable for tests. */
export type Lookup = (hostname: string, options: { all: true; family: 0 | 4 | 6 }) => Promise<{ address: string; family: number }[]>;

/** Envoy's dns_lookup_family (AUTO when absent): the family looked up, and the one used when both answer. */
const lookupFamilies: Record<NonNullable<Cluster["dns_lookup_family"]>, { family: 0 | 4 | 6; prefer?: 4 | 6 }> = {
  AUTO: { family: 0, prefer: 6 },
  V4_ONLY: { family: 4 },
  V6_ONLY: { family: 6 },
  V4_PREFERRED: { family: 0, prefer: 4 },
  ALL: { family: 0 },
};

/** Envoy's default dns_refresh_rate. */
const defaultRefreshMs = 5000;

/**
 * The endpoints of a STRICT_DNS or LOGICAL_DNS cluster: its load_assignment with each hostname replaced by the
 * addresses it resolves to, each one an endpoint with the lb_endpoint's port, weight, metadata, health and locality
 * (IP addresses are kept as they are). Resolved from start(), then every dns_refresh_rate. A hostname whose
 * resolution fails keeps its last addresses, as in Envoy. A LOGICAL_DNS cluster has one endpoint and uses the first
 * address only.
 */
export class DnsEndpoints {
  readonly #assignmentTemplate: ClusterLoadAssignment;
  readonly #family: { family: 0 | 4 | 6; prefer?: 4 | 6 };
  readonly #refreshMs: number;
  readonly #logical: boolean;
  readonly #hostnames: string[];
  #resolved = new Map<string, string[]>();
  /** The last resolution's answers, to leave the assignment (and the endpoints' identity) alone while they do not change. */
  #answers: string | undefined;
  #assignment: ClusterLoadAssignment | undefined;
  #firstResolution: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    config: Cluster,
    private readonly onFailure: () => void,
    private readonly lookup: Lookup = dns.promises.lookup,
  ) {
    const assignment = config.load_assignment;
    if (!assignment) throw new Error(`cluster ${config.name}: a ${config.type} cluster needs load_assignment`);
    this.#logical = config.type === "LOGICAL_DNS";
    const localities = assignment.endpoints ?? [];
    if (this.#logical && (localities.length !== 1 || localities[0]?.lb_endpoints?.length !== 1)) throw new Error(`cluster ${config.name}: a LOGICAL_DNS cluster needs exactly one locality with one lb_endpoint`);
    const family = lookupFamilies[config.dns_lookup_family ?? "AUTO"];
    if (!family) throw new Error(`cluster ${config.name}: dns_lookup_family ${config.dns_lookup_family} is not supported`);
    this.#family = family;
    this.#refreshMs = durationMs(config.dns_refresh_rate, defaultRefreshMs);
    if (this.#refreshMs < 1) throw new Error(`cluster ${config.name}: dns_refresh_rate must be at least 1ms`);
    this.#assignmentTemplate = assignment;
    const addresses = localities.flatMap((locality) => (locality.lb_endpoints ?? []).map((lbEndpoint) => lbEndpoint.endpoint?.address?.socket_address?.address));
    this.#hostnames = [...new Set(addresses.filter((address): address is string => address !== undefined && net.isIP(address) === 0))];
  }

  start(): void {
    if (this.#hostnames.length === 0) {
      this.#assignment = this.#expand();
      return;
    }
    this.#firstResolution = this.#resolveAll().then(() => {
      this.#firstResolution = undefined;
    });
  }

  /** The resolved assignment; undefined until the first resolution completes. */
  get assignment(): ClusterLoadAssignment | undefined {
    return this.#assignment;
  }

  /** Until the first resolution completes: a promise of it, or of `timeoutMs` passing if that comes first. */
  whenFirstResolved(timeoutMs: number): Promise<void> | undefined {
    const pending = this.#firstResolution;
    if (!pending) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void pending.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #resolveAll(): Promise<void> {
    const resolved = new Map(await Promise.all(this.#hostnames.map(async (hostname) => [hostname, await this.#resolve(hostname)] as const)));
    if (this.#closed) return;
    const answers = JSON.stringify([...resolved]);
    if (answers !== this.#answers) {
      this.#answers = answers;
      this.#resolved = resolved;
      this.#assignment = this.#expand();
    }
    this.#timer = setTimeout(() => void this.#resolveAll(), this.#refreshMs);
    this.#timer.unref();
  }

  async #resolve(hostname: string): Promise<string[]> {
    try {
      const answers = await this.lookup(hostname, { all: true, family: this.#family.family });
      const preferred = answers.filter((answer) => answer.family === this.#family.prefer);
      const addresses = (preferred.length > 0 ? preferred : answers).map((answer) => answer.address);
      // Sorted: a resolver rotating its answers changes nothing.
      return this.#logical ? addresses.slice(0, 1) : addresses.sort();
    } catch {
      if (!this.#closed) this.onFailure();
      return this.#resolved.get(hostname) ?? [];
    }
  }

  #expand(): ClusterLoadAssignment {
    const template = this.#assignmentTemplate;
    return {
      ...template,
      endpoints: (template.endpoints ?? []).map((locality) => ({
        ...locality,
        lb_endpoints: (locality.lb_endpoints ?? []).flatMap((lbEndpoint) => {
          const socket = lbEndpoint.endpoint?.address?.socket_address;
          if (!socket) return [];
          const addresses = net.isIP(socket.address) !== 0 ? [socket.address] : (this.#resolved.get(socket.address) ?? []);
          return addresses.map((address) => ({ ...lbEndpoint, endpoint: { ...lbEndpoint.endpoint, address: { socket_address: { ...socket, address } } } }));
        }),
      })),
    };
  }
}
