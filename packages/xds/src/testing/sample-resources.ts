import { typed, typeNames } from "../types/index";
import type { Cluster, ClusterLoadAssignment, HttpConnectionManager, Listener, RouteConfiguration, Secret, TcpProxy, NetworkRbac, HttpFault, HttpLocalRateLimit, DownstreamTlsContext, UpstreamTlsContext, Router, HttpRbac } from "../types/index";

// Representative resources of every kind zonemesh builds, used by the round-trip and cache tests.

export const edsCluster: Cluster = {
  name: "backend",
  type: "EDS",
  eds_cluster_config: { eds_config: { ads: {}, resource_api_version: "V3" }, service_name: "backend" },
  connect_timeout: { seconds: 5 },
  lb_policy: "LEAST_REQUEST",
  health_checks: [
    { timeout: { seconds: 1 }, interval: { seconds: 10 }, unhealthy_threshold: { value: 3 }, healthy_threshold: { value: 1 }, http_health_check: { path: "/health" } },
  ],
  circuit_breakers: { thresholds: [{ max_connections: { value: 1024 }, max_pending_requests: { value: 256 }, max_retries: { value: 3 } }] },
  outlier_detection: { consecutive_5xx: { value: 5 }, interval: { seconds: 10 }, base_ejection_time: { seconds: 30 } },
  transport_socket: {
    name: "envoy.transport_sockets.tls",
    typed_config: typed<UpstreamTlsContext>(typeNames.upstreamTlsContext, {
      sni: "backend.default.svc",
      common_tls_context: {
        tls_certificate_sds_secret_configs: [{ name: "identity_cert", sds_config: { ads: {}, resource_api_version: "V3" } }],
        combined_validation_context: {
          default_validation_context: { match_typed_subject_alt_names: [{ san_type: "URI", matcher: { exact: "spiffe://default/backend" } }] },
          validation_context_sds_secret_config: { name: "mesh_ca", sds_config: { ads: {}, resource_api_version: "V3" } },
        },
      },
    }),
  },
  typed_extension_protocol_options: {
    [typeNames.httpProtocolOptions]: typed(typeNames.httpProtocolOptions, { explicit_http_config: { http2_protocol_options: {} } }),
  },
};

export const loadAssignment: ClusterLoadAssignment = {
  cluster_name: "backend",
  endpoints: [
    {
      locality: { zone: "zone-1" },
      load_balancing_weight: { value: 1 },
      lb_endpoints: [
        { endpoint: { address: { socket_address: { address: "10.0.0.1", port_value: 8080 } } }, health_status: "HEALTHY", load_balancing_weight: { value: 1 } },
        { endpoint: { address: { socket_address: { address: "10.0.0.2", port_value: 8080 } } }, load_balancing_weight: { value: 1 } },
      ],
    },
  ],
};

export const routeConfiguration: RouteConfiguration = {
  name: "outbound:backend",
  validate_clusters: { value: false },
  virtual_hosts: [
    {
      name: "backend",
      domains: ["*"],
      routes: [
        {
          match: { prefix: "/api", headers: [{ name: "x-version", string_match: { exact: "v2" } }] },
          route: {
            weighted_clusters: { clusters: [{ name: "backend-v1", weight: { value: 90 } }, { name: "backend-v2", weight: { value: 10 } }] },
            timeout: { seconds: 15 },
            retry_policy: { retry_on: "5xx,connect-failure", num_retries: { value: 3 }, per_try_timeout: { nanos: 500_000_000 } },
          },
          request_headers_to_add: [{ header: { key: "x-zone", value: "zone-1" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" }],
          typed_per_filter_config: {
            "envoy.filters.http.fault": typed<HttpFault>(typeNames.httpFault, {
              abort: { http_status: 503, percentage: { numerator: 10, denominator: "HUNDRED" } },
              delay: { fixed_delay: { seconds: 2 }, percentage: { numerator: 5, denominator: "HUNDRED" } },
            }),
            "envoy.filters.http.local_ratelimit": typed<HttpLocalRateLimit>(typeNames.httpLocalRateLimit, {
              stat_prefix: "rate_limit",
              token_bucket: { max_tokens: 100, tokens_per_fill: { value: 100 }, fill_interval: { seconds: 1 } },
              filter_enabled: { default_value: { numerator: 100, denominator: "HUNDRED" }, runtime_key: "rl_enabled" },
              filter_enforced: { default_value: { numerator: 100, denominator: "HUNDRED" }, runtime_key: "rl_enforced" },
            }),
          },
        },
        { match: { prefix: "/" }, route: { cluster: "backend-v1" } },
      ],
    },
  ],
};

export const httpListener: Listener = {
  name: "inbound:10.0.0.1:8080",
  address: { socket_address: { address: "10.0.0.1", port_value: 8080 } },
  traffic_direction: "INBOUND",
  listener_filters: [{ name: "envoy.filters.listener.tls_inspector", typed_config: typed(typeNames.tlsInspector, {}) }],
  filter_chains: [
    {
      filter_chain_match: { transport_protocol: "tls" },
      transport_socket: {
        name: "envoy.transport_sockets.tls",
        typed_config: typed<DownstreamTlsContext>(typeNames.downstreamTlsContext, {
          require_client_certificate: { value: true },
          common_tls_context: { tls_certificate_sds_secret_configs: [{ name: "identity_cert", sds_config: { ads: {}, resource_api_version: "V3" } }] },
        }),
      },
      filters: [
        {
          name: "envoy.filters.network.http_connection_manager",
          typed_config: typed<HttpConnectionManager>(typeNames.httpConnectionManager, {
            stat_prefix: "inbound_backend",
            rds: { config_source: { ads: {}, resource_api_version: "V3" }, route_config_name: "outbound:backend" },
            http_filters: [
              {
                name: "envoy.filters.http.rbac",
                typed_config: typed<HttpRbac>(typeNames.httpRbac, {
                  rules: {
                    action: "ALLOW",
                    policies: {
                      "allow-web": { permissions: [{ any: true }], principals: [{ authenticated: { principal_name: { exact: "spiffe://default/web" } } }] },
                    },
                  },
                }),
              },
              { name: "envoy.filters.http.fault", typed_config: typed<HttpFault>(typeNames.httpFault, { max_active_faults: { value: 100 } }) },
              { name: "envoy.filters.http.router", typed_config: typed<Router>(typeNames.router, {}) },
            ],
            access_log: [{ name: "envoy.access_loggers.file", typed_config: typed(typeNames.fileAccessLog, { path: "/dev/stdout" }) }],
          }),
        },
      ],
    },
  ],
};

export const tcpListener: Listener = {
  name: "outbound:10.1.0.1:5432",
  address: { socket_address: { address: "10.1.0.1", port_value: 5432 } },
  traffic_direction: "OUTBOUND",
  bind_to_port: { value: false },
  filter_chains: [
    {
      filters: [
        {
          name: "envoy.filters.network.rbac",
          typed_config: typed<NetworkRbac>(typeNames.networkRbac, {
            stat_prefix: "rbac",
            rules: { action: "DENY", policies: { "deny-all": { permissions: [{ any: true }], principals: [{ not_id: { any: true } }] } } },
          }),
        },
        {
          name: "envoy.filters.network.local_ratelimit",
          typed_config: typed(typeNames.networkLocalRateLimit, { stat_prefix: "tcp_rl", token_bucket: { max_tokens: 10, fill_interval: { seconds: 1 } } }),
        },
        {
          name: "envoy.filters.network.tcp_proxy",
          typed_config: typed<TcpProxy>(typeNames.tcpProxy, {
            stat_prefix: "postgres",
            weighted_clusters: { clusters: [{ name: "postgres-a", weight: 1 }, { name: "postgres-b", weight: 3 }] },
            idle_timeout: { seconds: 3600 },
          }),
        },
      ],
    },
  ],
};

export const identitySecret: Secret = {
  name: "identity_cert",
  tls_certificate: {
    certificate_chain: { inline_bytes: Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64") },
    private_key: { inline_string: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n" },
  },
};
