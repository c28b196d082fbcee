import type { Metadata } from "@grpc/grpc-js";
import type { TypeUrl } from "../protos/type-urls";
import type { XdsNode } from "./node";
import type { DeltaDiscoveryRequest, DiscoveryRequest } from "../protos/discovery-messages";

export interface StreamInfo {
  /** Unique within the server's lifetime. */
  streamId: number;
  kind: "sotw" | "delta";
  node: XdsNode;
  peer: string;
}

export interface ResponseInfo {
  typeUrl: TypeUrl;
  version: string;
  nonce: string;
  resourceNames: string[];
  /** Delta only. */
  removedResources: string[];
}

export interface AckInfo {
  typeUrl: TypeUrl;
  version: string;
  nonce: string;
}

export interface NackInfo extends AckInfo {
  error: string;
}

/** Hooks for authentication, metrics and introspection. A hook that throws ends the stream. */
export interface AdsCallbacks {
  /** Called once per stream with the first request's node and the stream's gRPC metadata; throw to refuse (UNAUTHENTICATED). */
  authenticate?(node: XdsNode, metadata: Metadata): void | Promise<void>;
  onStreamOpen?(stream: StreamInfo): void;
  onStreamClose?(stream: StreamInfo): void;
  onRequest?(stream: StreamInfo, request: DiscoveryRequest | DeltaDiscoveryRequest): void;
  onResponse?(stream: StreamInfo, response: ResponseInfo): void;
  onAck?(stream: StreamInfo, ack: AckInfo): void;
  onNack?(stream: StreamInfo, nack: NackInfo): void;
}
