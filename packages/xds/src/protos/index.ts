export { envoyRoot, protoIncludeDirs } from "./root";
export { packAny, unpackAny, encodeMessage, decodeMessage, lookupMessageType, type EncodedAny } from "./any";
export { typeUrls, allTypeUrls, isTypeUrl, type TypeUrl } from "./type-urls";
export { adsPackageDefinition, adsServiceDefinition, createAdsClient, type AdsClient } from "./ads-definition";
export type * from "./discovery-messages";
