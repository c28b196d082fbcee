import type { SnapshotResources } from "../cache/snapshot";
import { typed, typeNames } from "../types/index";

/** A minimal consistent snapshot: one api_listener with RDS, its route, EDS clusters with their endpoints. */
export function smallSnapshot(options: { clusters?: Record<string, number[]>; weights?: Record<string, number>; listener?: string } = {}): SnapshotResources {
  const clusters = options.clusters ?? { backend: [9001] };
  const listenerName = options.listener ?? "backend";
  const weights = options.weights;
  return {
    listeners: [
      {
        name: listenerName,
        api_listener: {
          api_listener: typed(typeNames.httpConnectionManager, {
            stat_prefix: listenerName,
            rds: { config_source: { ads: {}, resource_api_version: "V3" }, route_config_name: `${listenerName}-route` },
            http_filters: [{ name: "router", typed_config: typed(typeNames.router, {}) }],
          }),
        },
      },
    ],
    routes: [
      {
        name: `${listenerName}-route`,
        virtual_hosts: [
          {
            name: listenerName,
            domains: ["*"],
            routes: [
              {
                match: { prefix: "" },
                route: weights
                  ? { weighted_clusters: { clusters: Object.entries(weights).map(([name, weight]) => ({ name, weight: { value: weight } })) } }
                  : { cluster: Object.keys(clusters)[0]! },
              },
            ],
          },
        ],
      },
    ],
    clusters: Object.keys(clusters).map((name) => ({
      name,
      type: "EDS" as const,
      eds_cluster_config: { eds_config: { ads: {}, resource_api_version: "V3" as const }, service_name: name },
      lb_policy: "ROUND_ROBIN" as const,
    })),
    endpoints: Object.entries(clusters).map(([name, ports]) => ({
      cluster_name: name,
      endpoints: [
        {
          locality: { zone: "zone-1" },
          load_balancing_weight: { value: 1 },
          lb_endpoints: ports.map((port) => ({ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: port } } } })),
        },
      ],
    })),
  };
}
