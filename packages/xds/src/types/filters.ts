import type { AccessLog, ConfigSource, Duration, FractionalPercent, HeaderValueOption, RuntimeFractionalPercent, StringMatcher, TokenBucket, Typed, UInt32Value, CidrRange } from "./core";
import type { HeaderMatcher, RouteConfiguration } from "./route";

export interface HttpFilter {
  name: string;
  typed_config?: Typed<object>;
  is_optional?: boolean;
  disabled?: boolean;
}

export interface HttpConnectionManager {
  stat_prefix: string;
  codec_type?: "AUTO" | "HTTP1" | "HTTP2" | "HTTP3";
  rds?: { config_source: ConfigSource; route_config_name: string };
  route_config?: RouteConfiguration;
  http_filters?: HttpFilter[];
  access_log?: AccessLog[];
  stream_idle_timeout?: Duration;
  request_timeout?: Duration;
  request_headers_timeout?: Duration;
  common_http_protocol_options?: CommonHttpProtocolOptions;
  use_remote_address?: { value: boolean };
  forward_client_cert_details?: "SANITIZE" | "FORWARD_ONLY" | "APPEND_FORWARD" | "SANITIZE_SET" | "ALWAYS_FORWARD_ONLY";
  set_current_client_cert_details?: { subject?: { value: boolean }; cert?: boolean; chain?: boolean; dns?: boolean; uri?: boolean };
  internal_address_config?: { unix_sockets?: boolean; cidr_ranges?: CidrRange[] };
}

export interface Router {
  suppress_envoy_headers?: boolean;
  start_child_span?: boolean;
}

export interface TcpProxy {
  stat_prefix: string;
  cluster?: string;
  weighted_clusters?: { clusters: { name: string; weight: number }[] };
  idle_timeout?: Duration;
  max_connect_attempts?: UInt32Value;
  access_log?: AccessLog[];
}

/** tls_inspector has no settings zonemesh uses. */
export type TlsInspector = Record<string, never>;

export interface Principal {
  any?: boolean;
  authenticated?: { principal_name?: StringMatcher };
  or_ids?: { ids: Principal[] };
  and_ids?: { ids: Principal[] };
  not_id?: Principal;
  direct_remote_ip?: CidrRange;
  header?: HeaderMatcher;
}
export interface Permission {
  any?: boolean;
  or_rules?: { rules: Permission[] };
  and_rules?: { rules: Permission[] };
  not_rule?: Permission;
  header?: HeaderMatcher;
  destination_port?: number;
  url_path?: { path: StringMatcher };
}
export interface Policy {
  permissions: Permission[];
  principals: Principal[];
}
export interface RbacRules {
  action?: "ALLOW" | "DENY" | "LOG";
  policies?: Record<string, Policy>;
}
export interface NetworkRbac {
  stat_prefix: string;
  rules?: RbacRules;
  shadow_rules?: RbacRules;
}
export interface HttpRbac {
  rules?: RbacRules;
  shadow_rules?: RbacRules;
}

export interface HttpFault {
  delay?: { fixed_delay?: Duration; percentage?: FractionalPercent; header_delay?: Record<string, never> };
  abort?: { http_status?: number; grpc_status?: number; percentage?: FractionalPercent; header_abort?: Record<string, never> };
  response_rate_limit?: { fixed_limit?: { limit_kbps: number }; percentage?: FractionalPercent };
  max_active_faults?: UInt32Value;
  headers?: HeaderMatcher[];
}

export interface HttpLocalRateLimit {
  stat_prefix: string;
  token_bucket?: TokenBucket;
  filter_enabled?: RuntimeFractionalPercent;
  filter_enforced?: RuntimeFractionalPercent;
  status?: { code: string };
  response_headers_to_add?: HeaderValueOption[];
}
export interface NetworkLocalRateLimit {
  stat_prefix: string;
  token_bucket: TokenBucket;
  runtime_enabled?: { default_value: { value: boolean }; runtime_key: string };
}

export interface FileAccessLog {
  path: string;
  log_format?: { text_format_source?: { inline_string: string }; json_format?: object };
}

export interface HttpProtocolOptions {
  explicit_http_config?: { http_protocol_options?: object; http2_protocol_options?: object };
  use_downstream_protocol_config?: object;
  common_http_protocol_options?: CommonHttpProtocolOptions;
}

/** envoy.config.core.v3.HttpProtocolOptions: of downstream connections in an HCM, of upstream ones in a cluster. */
export interface CommonHttpProtocolOptions {
  idle_timeout?: Duration;
  max_connection_duration?: Duration;
  max_stream_duration?: Duration;
  max_requests_per_connection?: UInt32Value;
}
