import { typeNames } from "@zonemesh/xds";
import { MapOf, TypedOf, type Shape } from "./field-spec";

// The Envoy fields the built-in engine implements, by resource type. Values (enum names, retry conditions...)
// are checked where they are compiled.

const duration: Shape = { seconds: true, nanos: true };
const u32: Shape = { value: true };
const fractionalPercent: Shape = { numerator: true, denominator: true };
const runtimeFractionalPercent: Shape = { default_value: fractionalPercent, runtime_key: true };
const stringMatcher: Shape = { exact: true, prefix: true, suffix: true, contains: true, safe_regex: { regex: true }, ignore_case: true };
const headerMatcher: Shape = { name: true, string_match: stringMatcher, present_match: true, invert_match: true };
const headerValueOption: Shape = { header: { key: true, value: true }, append_action: true };
const adsSource: Shape = { ads: {}, resource_api_version: true };
const sdsSecretConfig: Shape = { name: true, sds_config: adsSource };
const socketAddress: Shape = { socket_address: { address: true, port_value: true, protocol: true } };

const dataSource: Shape = { inline_bytes: true, inline_string: true };
const validationContext: Shape = {
  match_typed_subject_alt_names: { san_type: true, matcher: stringMatcher },
  match_subject_alt_names: stringMatcher,
};
const commonTlsContext: Shape = {
  tls_certificate_sds_secret_configs: sdsSecretConfig,
  validation_context_sds_secret_config: sdsSecretConfig,
  combined_validation_context: { default_validation_context: validationContext, validation_context_sds_secret_config: sdsSecretConfig },
  alpn_protocols: true,
};

const principal: Shape = {
  any: true,
  authenticated: { principal_name: stringMatcher },
  and_ids: { ids: () => principal },
  or_ids: { ids: () => principal },
  not_id: () => principal,
};
const permission: Shape = {
  any: true,
  destination_port: true,
  header: headerMatcher,
  url_path: { path: stringMatcher },
  and_rules: { rules: () => permission },
  or_rules: { rules: () => permission },
  not_rule: () => permission,
};
const rbacRules: Shape = { action: true, policies: new MapOf({ permissions: permission, principals: principal }) };

const retryPolicy: Shape = {
  retry_on: true,
  num_retries: u32,
  per_try_timeout: duration,
  retry_back_off: { base_interval: duration, max_interval: duration },
  retriable_status_codes: true,
  retriable_headers: headerMatcher,
  retriable_request_headers: headerMatcher,
  rate_limited_retry_back_off: { reset_headers: { name: true, format: true }, max_interval: duration },
  retry_host_predicate: {
    name: true,
    typed_config: new TypedOf({ [typeNames.previousHostsPredicate]: {}, [typeNames.omitHostMetadata]: { metadata_match: { filter_metadata: true } } }),
  },
  host_selection_retry_max_attempts: true,
  retry_priority: { name: true, typed_config: new TypedOf({ [typeNames.previousPriorities]: { update_frequency: true } }) },
};
const route: Shape = {
  name: true,
  match: {
    prefix: true,
    path: true,
    safe_regex: { regex: true },
    case_sensitive: u32,
    headers: headerMatcher,
    query_parameters: { name: true, string_match: stringMatcher, present_match: true },
  },
  route: {
    cluster: true,
    weighted_clusters: { clusters: { name: true, weight: u32 } },
    timeout: duration,
    idle_timeout: duration,
    retry_policy: retryPolicy,
    prefix_rewrite: true,
    regex_rewrite: { pattern: { regex: true }, substitution: true },
    host_rewrite_literal: true,
    max_stream_duration: { max_stream_duration: duration },
    request_mirror_policies: { cluster: true, runtime_fraction: runtimeFractionalPercent },
    hash_policy: {
      header: { header_name: true },
      cookie: { name: true, ttl: duration, path: true },
      connection_properties: { source_ip: true },
      query_parameter: { name: true },
      filter_state: { key: true },
      terminal: true,
    },
  },
  redirect: { scheme_redirect: true, host_redirect: true, port_redirect: true, path_redirect: true, prefix_rewrite: true, response_code: true, strip_query: true },
  direct_response: { status: true, body: { inline_string: true } },
  request_headers_to_add: headerValueOption,
  request_headers_to_remove: true,
  response_headers_to_add: headerValueOption,
  response_headers_to_remove: true,
  per_request_buffer_limit_bytes: u32,
};
export const routeConfigurationFields: Shape = {
  name: true,
  virtual_hosts: { name: true, domains: true, routes: route, per_request_buffer_limit_bytes: u32 },
  validate_clusters: u32,
  request_headers_to_add: headerValueOption,
  request_headers_to_remove: true,
};

const accessLog: Shape = {
  name: true,
  typed_config: new TypedOf({
    [typeNames.fileAccessLog]: { path: true, log_format: { text_format_source: { inline_string: true }, json_format: true } },
  }),
};

const httpFilters = new TypedOf({
  [typeNames.router]: {},
  [typeNames.httpRbac]: { rules: rbacRules, shadow_rules: rbacRules },
  [typeNames.httpFault]: { delay: { fixed_delay: duration, percentage: fractionalPercent }, abort: { http_status: true, percentage: fractionalPercent }, response_rate_limit: { fixed_limit: { limit_kbps: true }, percentage: fractionalPercent }, headers: headerMatcher },
  [typeNames.httpLocalRateLimit]: {
    stat_prefix: true,
    token_bucket: { max_tokens: true, tokens_per_fill: u32, fill_interval: duration },
    filter_enabled: runtimeFractionalPercent,
    filter_enforced: runtimeFractionalPercent,
    status: { code: true },
    response_headers_to_add: headerValueOption,
  },
});
const httpConnectionManager: Shape = {
  stat_prefix: true,
  codec_type: true,
  rds: { config_source: adsSource, route_config_name: true },
  route_config: routeConfigurationFields,
  http_filters: { name: true, typed_config: httpFilters },
  stream_idle_timeout: duration,
  request_timeout: duration,
  request_headers_timeout: duration,
  common_http_protocol_options: { idle_timeout: duration, max_connection_duration: duration },
  forward_client_cert_details: true,
  access_log: accessLog,
  set_current_client_cert_details: { uri: true, dns: true },
};
const networkFilters = new TypedOf({
  [typeNames.httpConnectionManager]: httpConnectionManager,
  [typeNames.tcpProxy]: {
    stat_prefix: true,
    cluster: true,
    weighted_clusters: { clusters: { name: true, weight: true } },
    idle_timeout: duration,
    max_connect_attempts: u32,
    access_log: accessLog,
  },
  [typeNames.networkRbac]: { stat_prefix: true, rules: rbacRules, shadow_rules: rbacRules },
  [typeNames.networkLocalRateLimit]: { stat_prefix: true, token_bucket: { max_tokens: true, tokens_per_fill: u32, fill_interval: duration } },
});
const filterChain: Shape = {
  name: true,
  filters: { name: true, typed_config: networkFilters },
  transport_socket: {
    name: true,
    typed_config: new TypedOf({
      [typeNames.downstreamTlsContext]: {
        common_tls_context: { ...commonTlsContext, tls_params: { tls_minimum_protocol_version: true, tls_maximum_protocol_version: true, cipher_suites: true } },
        require_client_certificate: u32,
      },
    }),
  },
};
export const listenerFields: Shape = {
  name: true,
  address: socketAddress,
  traffic_direction: true,
  bind_to_port: u32,
  use_original_dst: u32,
  stat_prefix: true,
  metadata: true,
  filter_chains: { ...filterChain, filter_chain_match: { server_names: true, transport_protocol: true, application_protocols: true } },
  default_filter_chain: filterChain,
  listener_filters: { name: true, typed_config: new TypedOf({ [typeNames.tlsInspector]: {} }) },
  listener_filters_timeout: duration,
  continue_on_listener_filters_timeout: true,
};

const clusterLoadAssignment: Shape = {
  cluster_name: true,
  policy: { overprovisioning_factor: u32 },
  endpoints: {
    locality: true,
    load_balancing_weight: u32,
    priority: true,
    lb_endpoints: { endpoint: { address: socketAddress }, load_balancing_weight: u32, health_status: true, metadata: { filter_metadata: true } },
  },
};
export const clusterLoadAssignmentFields = clusterLoadAssignment;

export const clusterFields: Shape = {
  name: true,
  type: true,
  eds_cluster_config: { eds_config: adsSource, service_name: true },
  connect_timeout: duration,
  lb_policy: true,
  common_lb_config: { healthy_panic_threshold: { value: true }, zone_aware_lb_config: { fail_traffic_on_panic: true }, locality_weighted_lb_config: {} },
  ring_hash_lb_config: { minimum_ring_size: u32, maximum_ring_size: u32, hash_function: true },
  maglev_lb_config: { table_size: u32 },
  least_request_lb_config: { choice_count: u32 },
  load_assignment: clusterLoadAssignment,
  dns_lookup_family: true,
  dns_refresh_rate: duration,
  health_checks: {
    timeout: duration,
    interval: duration,
    unhealthy_threshold: u32,
    healthy_threshold: u32,
    unhealthy_interval: duration,
    no_traffic_interval: duration,
    initial_jitter: duration,
    interval_jitter: duration,
    interval_jitter_percent: true,
    reuse_connection: { value: true },
    event_log_path: true,
    always_log_health_check_failures: true,
    http_health_check: { path: true, host: true, expected_statuses: { start: true, end: true }, request_headers_to_add: headerValueOption },
    tcp_health_check: { send: { text: true, binary: true }, receive: { text: true, binary: true } },
    grpc_health_check: { service_name: true, authority: true },
  },
  circuit_breakers: { thresholds: { priority: true, max_connections: u32, max_pending_requests: u32, max_requests: u32, max_retries: u32, max_connection_pools: u32 } },
  outlier_detection: {
    consecutive_5xx: u32,
    consecutive_gateway_failure: u32,
    interval: duration,
    base_ejection_time: duration,
    max_ejection_percent: u32,
    enforcing_consecutive_5xx: u32,
    enforcing_consecutive_gateway_failure: u32,
    max_ejection_time: duration,
    split_external_local_origin_errors: true,
    consecutive_local_origin_failure: u32,
    enforcing_consecutive_local_origin_failure: u32,
    success_rate_minimum_hosts: u32,
    success_rate_request_volume: u32,
    success_rate_stdev_factor: u32,
    enforcing_success_rate: u32,
    failure_percentage_minimum_hosts: u32,
    failure_percentage_request_volume: u32,
    failure_percentage_threshold: u32,
    enforcing_failure_percentage: u32,
  },
  transport_socket: {
    name: true,
    typed_config: new TypedOf({
      [typeNames.upstreamTlsContext]: {
        // Inline material: Kuma's UpstreamTlsContextOutsideMesh for external services.
        common_tls_context: { ...commonTlsContext, tls_certificates: { certificate_chain: dataSource, private_key: dataSource }, validation_context: { ...validationContext, trusted_ca: dataSource } },
        sni: true,
        // Accepted, not applied: Node's TLS client (OpenSSL) goes along with a server's TLS 1.2 renegotiation either way.
        allow_renegotiation: true,
      },
    }),
  },
  typed_extension_protocol_options: new MapOf(
    new TypedOf({
      [typeNames.httpProtocolOptions]: { explicit_http_config: { http_protocol_options: {}, http2_protocol_options: {} }, common_http_protocol_options: { idle_timeout: duration, max_connection_duration: duration } },
    }),
  ),
};

export const secretFields: Shape = {
  name: true,
  tls_certificate: { certificate_chain: dataSource, private_key: dataSource },
  validation_context: { trusted_ca: dataSource },
};
