import { fileURLToPath } from "node:url";
import { loadSync, type MethodDefinition } from "@grpc/proto-loader";
import type { ServiceDefinition } from "@grpc/grpc-js";
import type { ZodType } from "zod";
import {
  deltaDiscoveryRequestSchema,
  deltaDiscoveryResponseSchema,
  globalRequestSchema,
  zoneReplySchema,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
  type GlobalRequest,
  type ZoneReply,
} from "./messages";

const protoPath = fileURLToPath(new URL("../../proto/kds.proto", import.meta.url));
const packageDefinition = loadSync(protoPath, {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
});
const service = packageDefinition["zonemesh.kds.v1.KdsSync"] as Record<
  "GlobalToZoneSync" | "ZoneToGlobalSync" | "GlobalToZoneRequests",
  MethodDefinition<object, object>
>;

export interface MessageCodec<T> {
  encode(message: T): Buffer;
  /** Throws on bytes that are not a valid message of this type. */
  decode(bytes: Buffer): T;
}

function codec<T>(
  serialize: (message: object) => Buffer,
  deserialize: (bytes: Buffer) => object,
  schema: ZodType<T>,
): MessageCodec<T> {
  return {
    encode: (message) => serialize(message as object),
    decode: (bytes) => schema.parse(deserialize(bytes)),
  };
}

const method = service.GlobalToZoneSync;
export const requestCodec = codec<DeltaDiscoveryRequest>(
  method.requestSerialize,
  method.requestDeserialize,
  deltaDiscoveryRequestSchema,
);
export const responseCodec = codec<DeltaDiscoveryResponse>(
  method.responseSerialize,
  method.responseDeserialize,
  deltaDiscoveryResponseSchema,
);

const requestsMethod = service.GlobalToZoneRequests;
export const globalRequestCodec = codec<GlobalRequest>(
  requestsMethod.responseSerialize,
  requestsMethod.responseDeserialize,
  globalRequestSchema,
);
export const zoneReplyCodec = codec<ZoneReply>(requestsMethod.requestSerialize, requestsMethod.requestDeserialize, zoneReplySchema);

const passthrough = (bytes: Buffer) => bytes;

// gRPC moves raw bytes; the streams encode and decode themselves so that they can count
// the bytes on the wire per stream and turn a malformed message into a clean stream error.
function rawMethod(definition: MethodDefinition<object, object>) {
  return {
    path: definition.path,
    requestStream: true,
    responseStream: true,
    requestSerialize: passthrough,
    requestDeserialize: passthrough,
    responseSerialize: passthrough,
    responseDeserialize: passthrough,
  } as const;
}

export const kdsSyncService = {
  globalToZone: rawMethod(service.GlobalToZoneSync),
  zoneToGlobal: rawMethod(service.ZoneToGlobalSync),
  requests: rawMethod(service.GlobalToZoneRequests),
} satisfies ServiceDefinition;
