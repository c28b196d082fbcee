import { typeUrls, type TypeUrl } from "@zonemesh/xds";

/** The discovery service of each type URL, as Kuma's insights and Envoy's stats name them. */
export const discoveryServiceOf = {
  [typeUrls.listener]: "lds",
  [typeUrls.cluster]: "cds",
  [typeUrls.endpoint]: "eds",
  [typeUrls.route]: "rds",
  [typeUrls.secret]: "sds",
} as const satisfies Record<TypeUrl, string>;

export type DiscoveryService = (typeof discoveryServiceOf)[TypeUrl];
