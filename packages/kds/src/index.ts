export { createKdsServer, type KdsServer, type KdsServerOptions } from "./server/kds-server";
export type { AuthenticateZone, ZoneAuthResult } from "./server/authenticate-zone";
export { KdsRequestError, type KdsRequestErrorCode, type KdsRequestOptions } from "./server/zone-requests";
export type { DuplicateZonePolicy, ZoneConnection, ZoneStats } from "./server/zone-registry";
export {
  createKdsClient,
  type KdsClient,
  type KdsClientOptions,
  type KdsClientStats,
  type KdsClientStreamStatus,
  type KdsStreamEnd,
} from "./client/kds-client";
export type { BackoffOptions } from "./client/backoff";
export type { KdsResource, ResourceDelta, ResourceKey, VersionedResource } from "./resource";
export type { ByteCounters, KdsStreamKind, StreamRole, StreamStats, TypeSyncStats } from "./stats";
export { canonicalJson, resourceVersion } from "./version";
export type { ZoneIdentity } from "./zone-metadata";
