import * as protoLoader from "@grpc/proto-loader";
import * as grpc from "@grpc/grpc-js";
import { adsProtoFile, protoIncludeDirs } from "./root";
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse } from "./discovery-messages";

/**
 * Options shared by the ADS server and clients: snake_case fields, enums by name,
 * absent fields left undefined; Any stays {type_url, value} (unpack it with unpackAny).
 */
const loaderOptions: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: false, includeDirs: protoIncludeDirs };

export const adsPackageDefinition = protoLoader.loadSync(adsProtoFile, loaderOptions);

const AdsServiceClient = (grpc.loadPackageDefinition(adsPackageDefinition) as unknown as {
  envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: grpc.ServiceClientConstructor } } } };
}).envoy.service.discovery.v3.AggregatedDiscoveryService;

export const adsServiceDefinition = AdsServiceClient.service;

export interface AdsClient extends grpc.Client {
  StreamAggregatedResources(metadata?: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  DeltaAggregatedResources(metadata?: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;
}

/** A client of envoy.service.discovery.v3.AggregatedDiscoveryService (for the data plane and tests). */
export function createAdsClient(address: string, credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(), options?: grpc.ChannelOptions): AdsClient {
  return new AdsServiceClient(address, credentials, options) as unknown as AdsClient;
}
