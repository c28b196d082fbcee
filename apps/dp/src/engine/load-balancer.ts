import { createHash } from "node:crypto";
import type { Cluster, LbPolicy } from "@zonemesh/xds";
import type { UpstreamEndpoint } from "./endpoints";
import { drawByWeight } from "./weighted-choice";

/** `hash` is the request's hash-policy value, used by RING_HASH and MAGLEV (others ignore it). */
export type Picker = (endpoints: readonly UpstreamEndpoint[], hash?: number) => UpstreamEndpoint | undefined;

export function hash32(text: string): number {
  return createHash("md5").update(text).digest().readUInt32BE(0);
}

const endpointWeight = (endpoint: UpstreamEndpoint) => endpoint.weight;

function weightedRandom(endpoints: readonly UpstreamEndpoint[]): UpstreamEndpoint | undefined {
  return drawByWeight(endpoints, endpointWeight);
}

/** Smooth weighted round robin (as nginx does): even spread, weights respected. */
function roundRobin(): Picker {
  const current = new Map<string, number>();
  return (endpoints) => {
    const total = endpoints.reduce((sum, endpoint) => sum + endpoint.weight, 0);
    let best: UpstreamEndpoint | undefined;
    for (const endpoint of endpoints) {
      const value = (current.get(endpoint.key) ?? 0) + endpoint.weight;
      current.set(endpoint.key, value);
      if (!best || value > (current.get(best.key) ?? 0)) best = endpoint;
    }
    if (best) current.set(best.key, (current.get(best.key) ?? 0) - total);
    return best;
  };
}

/** Envoy's LEAST_REQUEST: of `choices` hosts drawn at random (default 2, "power of two choices"), the one with the fewest active requests. */
function leastRequest(choices: number): Picker {
  return (endpoints) => {
    let best = weightedRandom(endpoints);
    for (let drawn = 1; drawn < choices && best; drawn++) {
      const candidate = weightedRandom(endpoints);
      if (candidate && candidate.activeRequests < best.activeRequests) best = candidate;
    }
    return best;
  };
}

/**
 * Consistent hashing: each host owns points on a ring in proportion to its weight; a request goes to the first
 * point at or after its hash. (Envoy's xxHash/Murmur and Maglev tables differ in detail; the property kept is that
 * equal hashes land on the same host while the host set is unchanged.) Without a hash, a random host.
 */
function ringHash(minimumRingSize: number): Picker {
  let ring: { key: string; points: { point: number; endpoint: UpstreamEndpoint }[] } = { key: "", points: [] };
  return (endpoints, hash) => {
    if (hash === undefined) return weightedRandom(endpoints);
    const key = endpoints.map((endpoint) => `${endpoint.key}*${endpoint.weight}`).join(",");
    if (key !== ring.key) {
      const totalWeight = endpoints.reduce((sum, endpoint) => sum + endpoint.weight, 0);
      const points = endpoints.flatMap((endpoint) =>
        Array.from({ length: Math.max(1, Math.ceil((minimumRingSize * endpoint.weight) / totalWeight)) }, (_, index) => ({ point: hash32(`${endpoint.key}_${index}`), endpoint })),
      );
      ring = { key, points: points.sort((a, b) => a.point - b.point) };
    }
    const points = ring.points;
    if (points.length === 0) return undefined;
    let low = 0;
    let high = points.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((points[middle] as { point: number }).point < hash) low = middle + 1;
      else high = middle;
    }
    return (points[low % points.length] as { endpoint: UpstreamEndpoint }).endpoint;
  };
}

export function createPicker(policy: LbPolicy | undefined, cluster?: Cluster): Picker {
  switch (policy ?? "ROUND_ROBIN") {
    case "RING_HASH":
      // Envoy's bounds: at least minimum_ring_size entries (default 1024), at most maximum_ring_size (default 8M).
      return ringHash(Math.min(cluster?.ring_hash_lb_config?.minimum_ring_size?.value ?? 1024, cluster?.ring_hash_lb_config?.maximum_ring_size?.value ?? 8_388_608));
    case "MAGLEV":
      // A consistent-hash ring of the Maglev table's size (Envoy's default 65537) stands for the Maglev table.
      return ringHash(cluster?.maglev_lb_config?.table_size?.value ?? 65_537);
    case "ROUND_ROBIN":
      return roundRobin();
    case "LEAST_REQUEST":
      return leastRequest(cluster?.least_request_lb_config?.choice_count?.value ?? 2);
    case "RANDOM":
      return weightedRandom;
    default:
      throw new Error(`lb_policy ${policy} is not supported`);
  }
}
