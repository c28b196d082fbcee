import * as protoLoader from "@grpc/proto-loader";
import * as grpc from "@grpc/grpc-js";
import { adsProtoFile, protoIncludeDirs } from "./root";

/**
 * Options shared by the ADS server and test clients: snake_case fields, enums by name,
 * absent fields left undefined; Any stays {type_url, value} (unpack it with unpackAny).
 */
const loaderOptions: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: false, includeDirs: protoIncludeDirs };

export const adsPackageDefinition = protoLoader.loadSync(adsProtoFile, loaderOptions);

export const adsServiceName = "envoy.service.discovery.v3.AggregatedDiscoveryService";

/** The AggregatedDiscoveryService definition (and a client constructor, for tests and the data plane). */
export const AdsClient = (grpc.loadPackageDefinition(adsPackageDefinition) as unknown as {
  envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: grpc.ServiceClientConstructor } } } };
}).envoy.service.discovery.v3.AggregatedDiscoveryService;

export const adsServiceDefinition = AdsClient.service;
