import type { EncodedAny } from "./any";

// Discovery messages as @grpc/proto-loader hands them over (options in ads-definition.ts):
// snake_case, absent fields undefined.

export interface WireStruct {
  fields?: Record<string, WireValue>;
}
/** protobufjs' own google.protobuf.Value: camelCase field names. */
export interface WireValue {
  nullValue?: string;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: WireStruct;
  listValue?: { values?: WireValue[] };
}

export interface WireNode {
  id?: string;
  cluster?: string;
  metadata?: WireStruct;
  locality?: { region?: string; zone?: string; sub_zone?: string };
  user_agent_name?: string;
  user_agent_version?: string;
}

export interface WireStatus {
  code?: number;
  message?: string;
}

export interface DiscoveryRequest {
  version_info?: string;
  node?: WireNode;
  resource_names?: string[];
  type_url?: string;
  response_nonce?: string;
  error_detail?: WireStatus;
}

export interface DiscoveryResponse {
  version_info: string;
  resources: EncodedAny[];
  type_url: string;
  nonce: string;
}

export interface DeltaDiscoveryRequest {
  node?: WireNode;
  type_url?: string;
  resource_names_subscribe?: string[];
  resource_names_unsubscribe?: string[];
  initial_resource_versions?: Record<string, string>;
  response_nonce?: string;
  error_detail?: WireStatus;
}

export interface DeltaResource {
  name: string;
  version: string;
  resource: EncodedAny;
}

export interface DeltaDiscoveryResponse {
  system_version_info: string;
  resources: DeltaResource[];
  type_url: string;
  removed_resources: string[];
  nonce: string;
}
