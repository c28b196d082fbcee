import type { LbPolicy } from "@zonemesh/xds";
import type { UpstreamEndpoint } from "./endpoints";

export type Picker = (endpoints: readonly UpstreamEndpoint[]) => UpstreamEndpoint | undefined;

function weightedRandom(endpoints: readonly UpstreamEndpoint[]): UpstreamEndpoint | undefined {
  const total = endpoints.reduce((sum, endpoint) => sum + endpoint.weight, 0);
  let draw = Math.random() * total;
  for (const endpoint of endpoints) {
    draw -= endpoint.weight;
    if (draw < 0) return endpoint;
  }
  return endpoints[endpoints.length - 1];
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

/** Power of two choices on active requests, as Envoy's LEAST_REQUEST with its default choice_count. */
function leastRequest(endpoints: readonly UpstreamEndpoint[]): UpstreamEndpoint | undefined {
  const a = weightedRandom(endpoints);
  const b = weightedRandom(endpoints);
  if (!a || !b) return a ?? b;
  return b.activeRequests < a.activeRequests ? b : a;
}

export function createPicker(policy: LbPolicy | undefined): Picker {
  switch (policy ?? "ROUND_ROBIN") {
    case "ROUND_ROBIN":
      return roundRobin();
    case "LEAST_REQUEST":
      return leastRequest;
    case "RANDOM":
      return weightedRandom;
    default:
      throw new Error(`lb_policy ${policy} is not supported`);
  }
}
