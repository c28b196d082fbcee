import { typed, typeNames, type HeaderMatcher, type RetryPolicy } from "@zonemesh/xds";
import { definedFields, kumaDuration, lbMetadata } from "./envoy-values";
import { headerMatcher } from "./header-matcher";
import type { RetryConf } from "./policy-confs";

const httpRetryOn: Record<string, string> = {
  "5xx": "5xx",
  GatewayError: "gateway-error",
  Reset: "reset",
  Retriable4xx: "retriable-4xx",
  ConnectFailure: "connect-failure",
  EnvoyRatelimited: "envoy-ratelimited",
  RefusedStream: "refused-stream",
  Http3PostConnectFailure: "http3-post-connect-failure",
};
const grpcRetryOn: Record<string, string> = {
  Canceled: "cancelled",
  DeadlineExceeded: "deadline-exceeded",
  Internal: "internal",
  ResourceExhausted: "resource-exhausted",
  Unavailable: "unavailable",
};
/** Envoy retries nothing without `retry_on`; these are the conditions that are always safe to retry. */
const defaultHttpRetryOn = ["gateway-error", "connect-failure", "refused-stream"];
/** Kuma's default for gRPC: failures before the call reached the server, and the statuses that say to try again. */
const defaultGrpcRetryOn = "cancelled,connect-failure,gateway-error,refused-stream,reset,resource-exhausted,unavailable";

function backOff(conf: { baseInterval?: string; maxInterval?: string } | undefined): Pick<RetryPolicy, "retry_back_off"> {
  if (!conf?.baseInterval) return {};
  return { retry_back_off: { base_interval: kumaDuration(conf.baseInterval), ...(conf.maxInterval ? { max_interval: kumaDuration(conf.maxInterval) } : {}) } };
}

type RateLimitedBackOff = NonNullable<NonNullable<RetryConf["http"]>["rateLimitedBackOff"]>;

/** Back off as the upstream's rate-limit reset headers say, up to maxInterval. */
function rateLimitedBackOff(conf: RateLimitedBackOff | undefined): RetryPolicy["rate_limited_retry_back_off"] {
  if (!conf?.resetHeaders?.length) return undefined;
  return {
    reset_headers: conf.resetHeaders.map(({ name, format }) => ({ name, ...(format === "UnixTimestamp" ? { format: "UNIX_TIMESTAMP" as const } : {}) })),
    ...(conf.maxInterval ? { max_interval: kumaDuration(conf.maxInterval) } : {}),
  };
}

type HostSelection = NonNullable<NonNullable<RetryConf["http"]>["hostSelection"]>;

/** MeshRetry hostSelection as Envoy's retry host predicates and retry priority. */
function hostSelection(predicates: HostSelection | undefined): Pick<RetryPolicy, "retry_host_predicate" | "retry_priority"> {
  const hostPredicates: NonNullable<RetryPolicy["retry_host_predicate"]> = [];
  let retryPriority: RetryPolicy["retry_priority"];
  for (const predicate of predicates ?? []) {
    if (predicate.predicate === "OmitPreviousHosts") hostPredicates.push({ name: "envoy.retry_host_predicates.previous_hosts", typed_config: typed(typeNames.previousHostsPredicate, {}) });
    else if (predicate.predicate === "OmitHostsWithTags") hostPredicates.push({ name: "envoy.retry_host_predicates.omit_host_metadata", typed_config: typed(typeNames.omitHostMetadata, { metadata_match: lbMetadata(predicate.tags ?? {}) }) });
    else retryPriority = { name: "envoy.retry_priorities.previous_priorities", typed_config: typed(typeNames.previousPriorities, { update_frequency: predicate.updateFrequency ?? 2 }) };
  }
  return { ...(hostPredicates.length > 0 ? { retry_host_predicate: hostPredicates } : {}), ...(retryPriority ? { retry_priority: retryPriority } : {}) };
}

/** MeshRetry for a route: `grpc` for gRPC services, `http` otherwise. */
export function retryPolicy(conf: RetryConf, protocol: string): RetryPolicy | undefined {
  if (protocol === "grpc" && conf.grpc) {
    const grpc = conf.grpc;
    return definedFields<RetryPolicy>({
      retry_on: grpc.retryOn ? grpc.retryOn.map((condition) => grpcRetryOn[condition]).join(",") : defaultGrpcRetryOn,
      num_retries: grpc.numRetries === undefined ? undefined : { value: grpc.numRetries },
      per_try_timeout: grpc.perTryTimeout ? kumaDuration(grpc.perTryTimeout) : undefined,
      ...backOff(grpc.backOff),
      rate_limited_retry_back_off: rateLimitedBackOff(grpc.rateLimitedBackOff),
    });
  }
  const http = conf.http;
  if (!http) return undefined;
  const conditions = http.retryOn ?? [];
  const statusCodes = conditions.filter((condition) => /^\d{3}$/.test(condition)).map(Number);
  const methods = conditions.filter((condition) => condition.startsWith("HttpMethod")).map((condition) => condition.slice("HttpMethod".length).toUpperCase());
  const named = conditions.filter((condition) => condition in httpRetryOn).map((condition) => httpRetryOn[condition] as string);
  const responseHeaders = (http.retriableResponseHeaders ?? []).map(headerMatcher);
  // As in Kuma, status codes and methods narrow nothing: without named conditions the default ones stay beside them.
  // Envoy reads retriable_status_codes and retriable_headers only under their conditions (Kuma adds only the first).
  const retryOn = [
    ...(named.length > 0 ? named : defaultHttpRetryOn),
    ...(statusCodes.length > 0 ? ["retriable-status-codes"] : []),
    ...(responseHeaders.length > 0 ? ["retriable-headers"] : []),
  ];
  // Only requests with these methods and headers are retried.
  const requestHeaders = [...methods.map((method): HeaderMatcher => ({ name: ":method", string_match: { exact: method } })), ...(http.retriableRequestHeaders ?? []).map(headerMatcher)];
  return definedFields<RetryPolicy>({
    retry_on: retryOn.join(","),
    num_retries: http.numRetries === undefined ? undefined : { value: http.numRetries },
    per_try_timeout: http.perTryTimeout ? kumaDuration(http.perTryTimeout) : undefined,
    ...backOff(http.backOff),
    rate_limited_retry_back_off: rateLimitedBackOff(http.rateLimitedBackOff),
    retriable_status_codes: statusCodes.length > 0 ? statusCodes : undefined,
    retriable_headers: responseHeaders.length > 0 ? responseHeaders : undefined,
    retriable_request_headers: requestHeaders.length > 0 ? requestHeaders : undefined,
    ...hostSelection(http.hostSelection),
    host_selection_retry_max_attempts: http.hostSelectionMaxAttempts,
  });
}
