export { createAdsServer, type AdsServer, type AdsServerOptions } from "./ads-server";
export type { AdsCallbacks, StreamInfo, ResponseInfo, AckInfo, NackInfo } from "./callbacks";
export type { NodeStatus, TypeStatus, NackRecord } from "./node-status";
export type { XdsNode, JsonValue } from "./node";
export { jsonToStruct } from "./node";
