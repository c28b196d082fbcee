import type { RetryPolicy } from "@zonemesh/xds";
import { durationMs } from "../duration";
import { compileHeaderMatcher, type HeaderLookup } from "../header-matcher";
import { compileHostSelection, type HostSelection } from "./retry-host-selection";
import type { UpstreamFailure } from "./upstream-connection";

/** Why an attempt failed: an HTTP status (with the gRPC status of a trailers-only response), or no response at all. */
export type AttemptOutcome = { status: number; grpcStatus?: number } | { failure: UpstreamFailure | "per-try-timeout" };

export interface CompiledRetryPolicy {
  numRetries: number;
  perTryTimeoutMs: number | undefined;
  /** `responseHeaders`: those of the attempt's response, when it had one. */
  retriable(outcome: AttemptOutcome, responseHeaders?: HeaderLookup): boolean;
  requestRetriable(headers: HeaderLookup): boolean;
  /**
   * The wait before retry number `retry` (1-based): what the response's rate-limit reset headers ask for
   * (rate_limited_retry_back_off), else Envoy's fully jittered exponential back-off.
   */
  backOffMs(retry: number, responseHeaders?: HeaderLookup): number;
  hostSelection: HostSelection | undefined;
}

const gatewayErrors = new Set([502, 503, 504]);
/** Envoy's gRPC retry conditions, on the grpc-status of a response's headers (a trailers-only response). */
const grpcConditions: Record<string, number> = { cancelled: 1, "deadline-exceeded": 4, "resource-exhausted": 8, internal: 13, unavailable: 14 };
// "http3-post-connect-failure" concerns HTTP/3 upstreams, which this engine does not speak.
const knownConditions = new Set([
  "5xx",
  "gateway-error",
  "reset",
  "connect-failure",
  "retriable-4xx",
  "retriable-status-codes",
  "retriable-headers",
  "envoy-ratelimited",
  "refused-stream",
  "http3-post-connect-failure",
  ...Object.keys(grpcConditions),
]);

type ResetInterval = (headers: HeaderLookup) => number | undefined;

/**
 * rate_limited_retry_back_off, as Envoy reads it: the first reset header present with a whole number of seconds
 * (SECONDS: to wait; UNIX_TIMESTAMP: to wait until) no longer than max_interval (default 300 s) gives the interval.
 */
function compileResetInterval(backOff: RetryPolicy["rate_limited_retry_back_off"]): ResetInterval | undefined {
  if (!backOff) return undefined;
  const maxMs = durationMs(backOff.max_interval, 300_000);
  const headers = backOff.reset_headers.map(({ name, format }) => {
    if (format !== undefined && format !== "SECONDS" && format !== "UNIX_TIMESTAMP") throw new Error(`rate_limited_retry_back_off.reset_headers format ${JSON.stringify(format)} is not supported`);
    return { name: name.toLowerCase(), timestamp: format === "UNIX_TIMESTAMP" };
  });
  return (lookup) => {
    for (const { name, timestamp } of headers) {
      const value = lookup(name)?.trim();
      if (value === undefined || !/^\d+$/.test(value)) continue;
      const intervalMs = timestamp ? Number(value) * 1000 - Date.now() : Number(value) * 1000;
      if ((timestamp && intervalMs <= 0) || intervalMs > maxMs) continue;
      return intervalMs;
    }
    return undefined;
  };
}

export function compileRetryPolicy(policy: RetryPolicy | undefined): CompiledRetryPolicy | undefined {
  if (!policy?.retry_on) return undefined;
  const conditions = new Set(policy.retry_on.split(",").map((condition) => condition.trim()));
  for (const condition of conditions) if (!knownConditions.has(condition)) throw new Error(`retry_on condition ${JSON.stringify(condition)} is not supported`);
  const statusCodes = new Set(policy.retriable_status_codes ?? []);
  const grpcStatuses = new Set([...conditions].flatMap((condition) => (condition in grpcConditions ? [grpcConditions[condition] as number] : [])));
  const requestMatchers = (policy.retriable_request_headers ?? []).map(compileHeaderMatcher);
  const responseMatchers = conditions.has("retriable-headers") ? (policy.retriable_headers ?? []).map(compileHeaderMatcher) : [];
  const baseMs = durationMs(policy.retry_back_off?.base_interval, 25);
  const maxMs = durationMs(policy.retry_back_off?.max_interval, baseMs * 10);
  const resetInterval = compileResetInterval(policy.rate_limited_retry_back_off);
  return {
    numRetries: policy.num_retries?.value ?? 1,
    perTryTimeoutMs: policy.per_try_timeout ? durationMs(policy.per_try_timeout, 0) : undefined,
    retriable(outcome, responseHeaders) {
      // An upstream Envoy's rate limit: retried under envoy-ratelimited only, whatever else would match.
      if (responseHeaders?.("x-envoy-ratelimited") !== undefined) return conditions.has("envoy-ratelimited");
      if (responseHeaders && responseMatchers.some((matches) => matches(responseHeaders))) return true;
      if ("failure" in outcome) {
        if (conditions.has("5xx")) return true;
        if (outcome.failure === "connect-failure") return conditions.has("connect-failure") || conditions.has("gateway-error");
        if (outcome.failure === "per-try-timeout") return conditions.has("gateway-error");
        // A stream refused unprocessed is safe to retry (refused-stream), and a reset too.
        if (outcome.failure === "refused-stream") return conditions.has("refused-stream") || conditions.has("reset");
        return conditions.has("reset");
      }
      const status = outcome.status;
      if (outcome.grpcStatus !== undefined && grpcStatuses.has(outcome.grpcStatus)) return true;
      return (
        (conditions.has("5xx") && status >= 500) ||
        (conditions.has("gateway-error") && gatewayErrors.has(status)) ||
        (conditions.has("retriable-4xx") && status === 409) ||
        (conditions.has("retriable-status-codes") && statusCodes.has(status))
      );
    },
    requestRetriable: (headers) => requestMatchers.length === 0 || requestMatchers.some((matches) => matches(headers)),
    backOffMs(retry, responseHeaders) {
      const resetMs = resetInterval && responseHeaders ? resetInterval(responseHeaders) : undefined;
      // Jittered over [interval, 3 x interval) so that rate-limited clients do not all come back at once, as Envoy's.
      if (resetMs !== undefined) return resetMs * (1 + 2 * Math.random());
      return Math.random() * Math.min(maxMs, baseMs * (2 ** retry - 1));
    },
    hostSelection: compileHostSelection(policy),
  };
}
