import { status } from "@grpc/grpc-js";
import { allTypeUrls, isTypeUrl, typeUrls, type TypeUrl } from "../protos/type-urls";
import { StreamError } from "./stream-error";

/** The order in which changed types are pushed: secrets and clusters before what uses them (Envoy's advice). */
export const pushOrder: readonly TypeUrl[] = [typeUrls.secret, typeUrls.cluster, typeUrls.endpoint, typeUrls.listener, typeUrls.route];

/** LDS and CDS requests without names ask for everything (legacy wildcard); "*" asks for everything for any type. */
export function isLegacyWildcardType(typeUrl: TypeUrl): boolean {
  return typeUrl === typeUrls.listener || typeUrl === typeUrls.cluster;
}

export function requireTypeUrl(typeUrl: string | undefined): TypeUrl {
  if (!typeUrl) throw new StreamError(status.INVALID_ARGUMENT, "an ADS request must carry type_url");
  if (!isTypeUrl(typeUrl)) throw new StreamError(status.INVALID_ARGUMENT, `unsupported type_url "${typeUrl}"; this server serves ${allTypeUrls.join(", ")}`);
  return typeUrl;
}

