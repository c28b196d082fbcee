import * as grpc from "@grpc/grpc-js";
import type { SnapshotCache } from "../cache/snapshot-cache";
import { adsServiceDefinition } from "../protos/ads-definition";
import type { AdsCallbacks } from "./callbacks";
import { createDeltaProtocol } from "./delta-protocol";
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse } from "../protos/discovery-messages";
import { NodeStatusRegistry, type NodeStatus } from "./node-status";
import type { ServerContext } from "./server-context";
import { createSotwProtocol } from "./sotw-protocol";
import { serveStream } from "./stream-session";

export interface AdsServerOptions {
  cache: SnapshotCache;
  callbacks?: AdsCallbacks;
  /** A stream without a first request by then is ended (DEADLINE_EXCEEDED). Default 15 s. */
  firstRequestTimeoutMs?: number;
}

export interface AdsServer {
  /** Starts a gRPC server of its own on e.g. "0.0.0.0:5678" ("127.0.0.1:0" picks a port); resolves to the bound port. */
  listen(address: string, credentials?: grpc.ServerCredentials): Promise<number>;
  /** Serves ADS on a gRPC server the caller owns instead. */
  addTo(server: grpc.Server): void;
  /** Ends every open stream (UNAVAILABLE) and stops the server started by listen. */
  close(): Promise<void>;
  /** ACK/NACK state of a connected node, per type URL. */
  status(nodeId: string): NodeStatus | undefined;
  /** Open streams and connected nodes, for metrics and leak checks. */
  stats(): { streams: number; nodes: number };
}

export function createAdsServer(options: AdsServerOptions): AdsServer {
  let streamIds = 0;
  let nonces = 0;
  const context: ServerContext = {
    cache: options.cache,
    callbacks: options.callbacks ?? {},
    registry: new NodeStatusRegistry(),
    firstRequestTimeoutMs: options.firstRequestTimeoutMs ?? 15_000,
    nextStreamId: () => ++streamIds,
    nextNonce: () => (++nonces).toString(36),
    openStreams: new Set(),
  };
  const implementation: grpc.UntypedServiceImplementation = {
    StreamAggregatedResources: (call: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) =>
      serveStream(call, "sotw", context, (stream, send) => createSotwProtocol(stream, context, send)),
    DeltaAggregatedResources: (call: grpc.ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) =>
      serveStream(call, "delta", context, (stream, send) => createDeltaProtocol(stream, context, send)),
  };
  let ownServer: grpc.Server | undefined;

  return {
    listen(address, credentials = grpc.ServerCredentials.createInsecure()) {
      const server = new grpc.Server();
      server.addService(adsServiceDefinition, implementation);
      ownServer = server;
      return new Promise((resolve, reject) => server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port))));
    },
    addTo(server) {
      server.addService(adsServiceDefinition, implementation);
    },
    async close() {
      for (const fail of [...context.openStreams]) fail({ code: grpc.status.UNAVAILABLE, details: "xDS server shutting down" });
      ownServer?.forceShutdown();
    },
    status: (nodeId) => context.registry.get(nodeId),
    stats: () => ({ streams: context.openStreams.size, nodes: context.registry.nodeCount() }),
  };
}
