import type { Address, AccessLog, CidrRange, Duration, Metadata, Typed, TransportSocket, UInt32Value, BoolValue } from "./core";

export interface FilterChainMatch {
  destination_port?: UInt32Value;
  prefix_ranges?: CidrRange[];
  server_names?: string[];
  transport_protocol?: string;
  application_protocols?: string[];
  source_prefix_ranges?: CidrRange[];
}

/** A network or listener filter: typed_config holds e.g. an HttpConnectionManager, TcpProxy or RBAC. */
export interface Filter {
  name: string;
  typed_config?: Typed<object>;
}

export interface FilterChain {
  name?: string;
  filter_chain_match?: FilterChainMatch;
  filters?: Filter[];
  transport_socket?: TransportSocket;
  metadata?: Metadata;
}

export interface Listener {
  name: string;
  address?: Address;
  stat_prefix?: string;
  filter_chains?: FilterChain[];
  default_filter_chain?: FilterChain;
  listener_filters?: Filter[];
  listener_filters_timeout?: Duration;
  continue_on_listener_filters_timeout?: boolean;
  use_original_dst?: BoolValue;
  traffic_direction?: "UNSPECIFIED" | "INBOUND" | "OUTBOUND";
  bind_to_port?: BoolValue;
  access_log?: AccessLog[];
  metadata?: Metadata;
  /** Used by gRPC (grpc-js-xds): holds an HttpConnectionManager. */
  api_listener?: { api_listener: Typed<object> };
}
