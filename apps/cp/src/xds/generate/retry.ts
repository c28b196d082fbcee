import type { HeaderMatcher, RetryPolicy } from "@zonemesh/xds";
import { kumaDuration } from "./envoy-values";
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

function backOff(conf: { baseInterval?: string; maxInterval?: string } | undefined): Pick<RetryPolicy, "retry_back_off"> {
  if (!conf?.baseInterval) return {};
  return { retry_back_off: { base_interval: kumaDuration(conf.baseInterval), ...(conf.maxInterval ? { max_interval: kumaDuration(conf.maxInterval) } : {}) } };
}

/** MeshRetry for a route: `grpc` for gRPC services, `http` otherwise. */
export function retryPolicy(conf: RetryConf, protocol: string): RetryPolicy | undefined {
  if (protocol === "grpc" && conf.grpc) {
    const grpc = conf.grpc;
    return {
      retry_on: (grpc.retryOn ?? Object.keys(grpcRetryOn)).map((condition) => grpcRetryOn[condition]).join(","),
      ...(grpc.numRetries !== undefined ? { num_retries: { value: grpc.numRetries } } : {}),
      ...(grpc.perTryTimeout ? { per_try_timeout: kumaDuration(grpc.perTryTimeout) } : {}),
      ...backOff(grpc.backOff),
    };
  }
  const http = conf.http;
  if (!http) return undefined;
  const conditions = http.retryOn ?? [];
  const statusCodes = conditions.filter((condition) => /^\d{3}$/.test(condition)).map(Number);
  const methods = conditions.filter((condition) => condition.startsWith("HttpMethod")).map((condition) => condition.slice("HttpMethod".length).toUpperCase());
  const named = conditions.filter((condition) => condition in httpRetryOn).map((condition) => httpRetryOn[condition] as string);
  const retryOn = [...(named.length > 0 || statusCodes.length > 0 ? named : defaultHttpRetryOn), ...(statusCodes.length > 0 ? ["retriable-status-codes"] : [])];
  const policy = {
    retry_on: retryOn.join(","),
    ...(http.numRetries !== undefined ? { num_retries: { value: http.numRetries } } : {}),
    ...(http.perTryTimeout ? { per_try_timeout: kumaDuration(http.perTryTimeout) } : {}),
    ...backOff(http.backOff),
    ...(statusCodes.length > 0 ? { retriable_status_codes: statusCodes } : {}),
    // Only requests with these methods are retried.
    ...(methods.length > 0 ? { retriable_request_headers: methods.map((method): HeaderMatcher => ({ name: ":method", string_match: { exact: method } })) } : {}),
  };
  return policy as RetryPolicy;
}
