import type { Cluster } from "@zonemesh/xds";
import type { LoadBalancingConf } from "./policy-confs";

const lbPolicies = { RoundRobin: undefined, LeastRequest: "LEAST_REQUEST", RingHash: "RING_HASH", Random: "RANDOM", Maglev: "MAGLEV" } as const;

/** MeshLoadBalancingStrategy's balancer as the cluster's lb_policy and its settings. */
export function loadBalancer(conf: LoadBalancingConf): Partial<Cluster> {
  const balancer = conf.loadBalancer;
  if (!balancer) return {};
  const policy = lbPolicies[balancer.type];
  const cluster: Partial<Cluster> = policy ? { lb_policy: policy } : {};
  if (balancer.type === "LeastRequest" && balancer.leastRequest?.choiceCount) cluster.least_request_lb_config = { choice_count: { value: balancer.leastRequest.choiceCount } };
  if (balancer.type === "RingHash" && balancer.ringHash) {
    const ring = balancer.ringHash;
    cluster.ring_hash_lb_config = {
      ...(ring.minRingSize ? { minimum_ring_size: { value: ring.minRingSize } } : {}),
      ...(ring.maxRingSize ? { maximum_ring_size: { value: ring.maxRingSize } } : {}),
      ...(ring.hashFunction === "MurmurHash2" ? { hash_function: "MURMUR_HASH_2" as const } : {}),
    };
  }
  if (balancer.type === "Maglev" && balancer.maglev?.tableSize) cluster.maglev_lb_config = { table_size: { value: balancer.maglev.tableSize } };
  return cluster;
}
