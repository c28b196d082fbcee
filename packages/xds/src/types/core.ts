// Plain-object shapes of Envoy v3 messages as packAny accepts and unpackAny returns them:
// field names as in the .proto (snake_case), enums by name, wrapper types as {value}, nested Any as {"@type", ...}.
// Only the fields zonemesh builds are declared; the .proto files are the full reference.

export interface Duration {
  seconds?: number;
  nanos?: number;
}
export interface UInt32Value {
  value: number;
}
export interface BoolValue {
  value: boolean;
}
export interface DoubleValue {
  value: number;
}

/** A google.protobuf.Any written as a plain object: the type URL under "@type" beside the message's own fields. */
export type Typed<T> = T & { "@type": string };

export interface Struct {
  fields?: Record<string, StructValue>;
}
/** protobufjs defines google.protobuf.Value itself, with camelCase field names (unlike every Envoy message). */
export interface StructValue {
  nullValue?: "NULL_VALUE";
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: Struct;
  listValue?: { values?: StructValue[] };
}
export interface Metadata {
  filter_metadata?: Record<string, Struct>;
}

export interface SocketAddress {
  protocol?: "TCP" | "UDP";
  address: string;
  port_value?: number;
  named_port?: string;
  ipv4_compat?: boolean;
}
export interface Pipe {
  path: string;
  mode?: number;
}
export interface Address {
  socket_address?: SocketAddress;
  pipe?: Pipe;
}
export interface CidrRange {
  address_prefix: string;
  prefix_len?: UInt32Value;
}

export interface Locality {
  region?: string;
  zone?: string;
  sub_zone?: string;
}

export interface ConfigSource {
  ads?: Record<string, never>;
  resource_api_version?: "AUTO" | "V2" | "V3";
  initial_fetch_timeout?: Duration;
}

export interface TransportSocket {
  name: string;
  typed_config?: Typed<object>;
}

export interface TypedExtensionConfig {
  name: string;
  typed_config: Typed<object>;
}

export interface HeaderValue {
  key: string;
  value?: string;
}
export interface HeaderValueOption {
  header: HeaderValue;
  append_action?: "APPEND_IF_EXISTS_OR_ADD" | "ADD_IF_ABSENT" | "OVERWRITE_IF_EXISTS_OR_ADD" | "OVERWRITE_IF_EXISTS";
  keep_empty_value?: boolean;
}

export interface FractionalPercent {
  numerator?: number;
  denominator?: "HUNDRED" | "TEN_THOUSAND" | "MILLION";
}
export interface RuntimeFractionalPercent {
  default_value: FractionalPercent;
  runtime_key?: string;
}

export interface TokenBucket {
  max_tokens: number;
  tokens_per_fill?: UInt32Value;
  fill_interval: Duration;
}

export interface StringMatcher {
  exact?: string;
  prefix?: string;
  suffix?: string;
  contains?: string;
  safe_regex?: { regex: string };
  ignore_case?: boolean;
}

/** A health check payload: `text` is hex, `binary` is bytes (base64 in JSON). */
export interface HealthCheckPayload {
  text?: string;
  binary?: string;
}

export interface HealthCheck {
  timeout: Duration;
  interval: Duration;
  unhealthy_threshold: UInt32Value;
  healthy_threshold: UInt32Value;
  unhealthy_interval?: Duration;
  no_traffic_interval?: Duration;
  initial_jitter?: Duration;
  interval_jitter?: Duration;
  interval_jitter_percent?: number;
  reuse_connection?: BoolValue;
  event_log_path?: string;
  always_log_health_check_failures?: boolean;
  http_health_check?: { path: string; host?: string; expected_statuses?: { start: number; end: number }[]; request_headers_to_add?: HeaderValueOption[] };
  tcp_health_check?: { send?: HealthCheckPayload; receive?: HealthCheckPayload[] };
  grpc_health_check?: { service_name?: string; authority?: string };
}

export interface AccessLog {
  name: string;
  typed_config?: Typed<object>;
}
