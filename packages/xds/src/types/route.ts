import type { BoolValue, Duration, HeaderValueOption, RuntimeFractionalPercent, StringMatcher, Typed, UInt32Value, Metadata } from "./core";

export interface HeaderMatcher {
  name: string;
  string_match?: StringMatcher;
  present_match?: boolean;
  invert_match?: boolean;
}

export interface QueryParameterMatcher {
  name: string;
  string_match?: StringMatcher;
  present_match?: boolean;
}

export interface RouteMatch {
  prefix?: string;
  path?: string;
  safe_regex?: { regex: string };
  path_separated_prefix?: string;
  case_sensitive?: BoolValue;
  headers?: HeaderMatcher[];
  query_parameters?: QueryParameterMatcher[];
  runtime_fraction?: RuntimeFractionalPercent;
}

export interface WeightedCluster {
  clusters: { name: string; weight?: UInt32Value; request_headers_to_add?: HeaderValueOption[] }[];
}

export interface RetryPolicy {
  retry_on?: string;
  num_retries?: UInt32Value;
  per_try_timeout?: Duration;
  retry_back_off?: { base_interval: Duration; max_interval?: Duration };
  retriable_status_codes?: number[];
  /** Response headers that make a response retriable, under the retriable-headers condition. */
  retriable_headers?: HeaderMatcher[];
  /** Requests are retried only if one of these matches. */
  retriable_request_headers?: HeaderMatcher[];
  rate_limited_retry_back_off?: { reset_headers: { name: string; format?: "SECONDS" | "UNIX_TIMESTAMP" }[]; max_interval?: Duration };
  /** Hosts a retry avoids (previous_hosts, omit_host_metadata); a rejected pick is redrawn up to host_selection_retry_max_attempts. */
  retry_host_predicate?: { name: string; typed_config: Typed<object> }[];
  host_selection_retry_max_attempts?: number;
  /** previous_priorities: a retry goes to priorities not yet tried. */
  retry_priority?: { name: string; typed_config: Typed<object> };
}

export interface RouteAction {
  cluster?: string;
  weighted_clusters?: WeightedCluster;
  cluster_header?: string;
  timeout?: Duration;
  idle_timeout?: Duration;
  retry_policy?: RetryPolicy;
  prefix_rewrite?: string;
  host_rewrite_literal?: string;
  auto_host_rewrite?: BoolValue;
  max_stream_duration?: { max_stream_duration?: Duration; grpc_timeout_header_max?: Duration };
  hash_policy?: HashPolicy[];
}

export interface Route {
  name?: string;
  match: RouteMatch;
  route?: RouteAction;
  redirect?: { host_redirect?: string; path_redirect?: string; response_code?: "MOVED_PERMANENTLY" | "FOUND" | "SEE_OTHER" | "TEMPORARY_REDIRECT" | "PERMANENT_REDIRECT" };
  direct_response?: { status: number; body?: { inline_string?: string } };
  request_headers_to_add?: HeaderValueOption[];
  request_headers_to_remove?: string[];
  response_headers_to_add?: HeaderValueOption[];
  response_headers_to_remove?: string[];
  /** Keyed by filter name, e.g. a per-route fault or local rate limit. */
  typed_per_filter_config?: Record<string, Typed<object>>;
  metadata?: Metadata;
  per_request_buffer_limit_bytes?: UInt32Value;
}

export interface VirtualHost {
  name: string;
  domains: string[];
  routes?: Route[];
  request_headers_to_add?: HeaderValueOption[];
  typed_per_filter_config?: Record<string, Typed<object>>;
  retry_policy?: RetryPolicy;
  per_request_buffer_limit_bytes?: UInt32Value;
}

export interface RouteConfiguration {
  name: string;
  virtual_hosts?: VirtualHost[];
  validate_clusters?: BoolValue;
  request_headers_to_add?: HeaderValueOption[];
  request_headers_to_remove?: string[];
  response_headers_to_add?: HeaderValueOption[];
}

/** envoy.config.route.v3.RouteAction.HashPolicy: one of its sources; `terminal` ends the list once it applies. */
export interface HashPolicy {
  header?: { header_name: string };
  cookie?: { name: string; ttl?: Duration; path?: string };
  connection_properties?: { source_ip: boolean };
  query_parameter?: { name: string };
  filter_state?: { key: string };
  terminal?: boolean;
}
