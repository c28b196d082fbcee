import type { RetryPolicy } from "@zonemesh/xds";
import { durationMs } from "../duration";
import { compileHeaderMatcher, type HeaderLookup } from "../header-matcher";

/** Why an attempt failed: an HTTP status (with the gRPC status of a trailers-only response), or no response at all. */
export type AttemptOutcome = { status: number; grpcStatus?: number } | { failure: "connect-failure" | "reset" | "per-try-timeout" };

export interface CompiledRetryPolicy {
  numRetries: number;
  perTryTimeoutMs: number | undefined;
  retriable(outcome: AttemptOutcome): boolean;
  requestRetriable(headers: HeaderLookup): boolean;
  /** Envoy's fully jittered exponential back-off before retry number `retry` (1-based). */
  backOffMs(retry: number): number;
}

const gatewayErrors = new Set([502, 503, 504]);
/** Envoy's gRPC retry conditions, on the grpc-status of a response's headers (a trailers-only response). */
const grpcConditions: Record<string, number> = { cancelled: 1, "deadline-exceeded": 4, "resource-exhausted": 8, internal: 13, unavailable: 14 };
// "refused-stream" is an HTTP/2 stream refusal, which HTTP/1.1 upstreams never produce.
const knownConditions = new Set(["5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "retriable-status-codes", "refused-stream", ...Object.keys(grpcConditions)]);

export function compileRetryPolicy(policy: RetryPolicy | undefined): CompiledRetryPolicy | undefined {
  if (!policy?.retry_on) return undefined;
  const conditions = new Set(policy.retry_on.split(",").map((condition) => condition.trim()));
  for (const condition of conditions) if (!knownConditions.has(condition)) throw new Error(`retry_on condition ${JSON.stringify(condition)} is not supported`);
  const statusCodes = new Set(policy.retriable_status_codes ?? []);
  const grpcStatuses = new Set([...conditions].flatMap((condition) => (condition in grpcConditions ? [grpcConditions[condition] as number] : [])));
  const requestMatchers = ((policy as { retriable_request_headers?: Parameters<typeof compileHeaderMatcher>[0][] }).retriable_request_headers ?? []).map(compileHeaderMatcher);
  const baseMs = durationMs(policy.retry_back_off?.base_interval, 25);
  const maxMs = durationMs(policy.retry_back_off?.max_interval, baseMs * 10);
  return {
    numRetries: policy.num_retries?.value ?? 1,
    perTryTimeoutMs: policy.per_try_timeout ? durationMs(policy.per_try_timeout, 0) : undefined,
    retriable(outcome) {
      if ("failure" in outcome) {
        if (conditions.has("5xx")) return true;
        if (outcome.failure === "connect-failure") return conditions.has("connect-failure") || conditions.has("gateway-error");
        if (outcome.failure === "per-try-timeout") return conditions.has("gateway-error");
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
    backOffMs: (retry) => Math.random() * Math.min(maxMs, baseMs * (2 ** retry - 1)),
  };
}
