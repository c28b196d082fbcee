import type { OutlierDetection } from "@zonemesh/xds";
import { durationMs } from "./duration";
import type { UpstreamEndpoint } from "./endpoints";

/**
 * What one request or connection told about its host: the upstream's status, or an error of local origin (no
 * connection, a timeout, a reset) or a connection made (a TCP proxy's).
 */
export type OutlierResult = { status: number } | { localOrigin: "failure" | "timeout" | "connected" };

/** Outlier state kept on an endpoint across EDS updates. */
export interface OutlierState {
  ejectedUntil: number;
  /** Ejections so far, the multiplier of base_ejection_time; one less for each interval the host is not ejected. */
  ejections: number;
  consecutive5xx: number;
  consecutiveGatewayFailures: number;
  consecutiveLocalOriginFailures: number;
  /** This interval's results, for the success rate and failure percentage detectors. */
  requests: number;
  failures: number;
}

export function newOutlierState(): OutlierState {
  return { ejectedUntil: 0, ejections: 0, consecutive5xx: 0, consecutiveGatewayFailures: 0, consecutiveLocalOriginFailures: 0, requests: 0, failures: 0 };
}

/** An enforcing_* percentage: the chance that a tripped detector ejects. */
const enforced = (percent: number) => percent > Math.random() * 100;

/**
 * Envoy's outlier detection with its defaults: consecutive 5xx (5, enforced 100 %), consecutive gateway failures
 * (5, enforced 0 %), consecutive local origin failures when split_external_local_origin_errors (5, 100 %), and at
 * each interval (10 s) success rate (hosts with success_rate_request_volume 100 requests, at least
 * success_rate_minimum_hosts 5 of them, ejected below mean - stdev_factor/1000 x stdev; 100 %) and failure
 * percentage (request volume 50, 5 hosts, threshold 85 %; 0 %). An ejection lasts base_ejection_time (30 s) times
 * the host's ejections, at most max_ejection_time (300 s); at most max_ejection_percent (10 %) of the hosts are out,
 * but one always can be. Without the split, errors of local origin count as 503 (504 for a timeout).
 */
export class OutlierDetector {
  readonly #split: boolean;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly config: OutlierDetection,
    private readonly endpoints: () => UpstreamEndpoint[],
  ) {
    this.#split = config.split_external_local_origin_errors === true;
    this.#timer = setInterval(() => this.#sweep(), durationMs(config.interval, 10_000));
    this.#timer.unref();
  }

  record(endpoint: UpstreamEndpoint, result: OutlierResult): void {
    const state = endpoint.outlier;
    const config = this.config;
    let status: number;
    if ("status" in result) {
      status = result.status;
      if (this.#split) state.consecutiveLocalOriginFailures = 0;
    } else if (this.#split) {
      if (result.localOrigin === "connected") {
        state.consecutiveLocalOriginFailures = 0;
        return;
      }
      state.consecutiveLocalOriginFailures++;
      if (state.consecutiveLocalOriginFailures >= (config.consecutive_local_origin_failure?.value ?? 5) && enforced(config.enforcing_consecutive_local_origin_failure?.value ?? 100)) this.#eject(endpoint);
      return;
    } else status = result.localOrigin === "connected" ? 200 : result.localOrigin === "timeout" ? 504 : 503;

    state.requests++;
    if (status >= 500) state.failures++;
    state.consecutive5xx = status >= 500 ? state.consecutive5xx + 1 : 0;
    state.consecutiveGatewayFailures = status >= 502 && status <= 504 ? state.consecutiveGatewayFailures + 1 : 0;
    if (
      (state.consecutive5xx >= (config.consecutive_5xx?.value ?? 5) && enforced(config.enforcing_consecutive_5xx?.value ?? 100)) ||
      (state.consecutiveGatewayFailures >= (config.consecutive_gateway_failure?.value ?? 5) && enforced(config.enforcing_consecutive_gateway_failure?.value ?? 0))
    )
      this.#eject(endpoint);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #eject(endpoint: UpstreamEndpoint): void {
    const now = Date.now();
    const state = endpoint.outlier;
    if (state.ejectedUntil > now) return;
    const all = this.endpoints();
    const ejected = all.filter((other) => other.outlier.ejectedUntil > now).length;
    if (ejected > 0 && (ejected + 1) * 100 > all.length * (this.config.max_ejection_percent?.value ?? 10)) return;
    const baseMs = durationMs(this.config.base_ejection_time, 30_000);
    state.ejections++;
    state.ejectedUntil = now + Math.min(baseMs * state.ejections, Math.max(baseMs, durationMs(this.config.max_ejection_time, 300_000)));
    state.consecutive5xx = 0;
    state.consecutiveGatewayFailures = 0;
    state.consecutiveLocalOriginFailures = 0;
  }

  /** The interval's detectors, over the hosts with enough requests in it; then a new interval. */
  #sweep(): void {
    const config = this.config;
    const now = Date.now();
    const all = this.endpoints();
    const volume = (minimum: number) => all.filter((endpoint) => endpoint.outlier.ejectedUntil <= now && endpoint.outlier.requests >= minimum);

    const rated = volume(config.success_rate_request_volume?.value ?? 100);
    if (rated.length > 0 && rated.length >= (config.success_rate_minimum_hosts?.value ?? 5)) {
      const rates = rated.map((endpoint) => 1 - endpoint.outlier.failures / endpoint.outlier.requests);
      const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
      const stdev = Math.sqrt(rates.reduce((sum, rate) => sum + (rate - mean) ** 2, 0) / rates.length);
      const threshold = mean - ((config.success_rate_stdev_factor?.value ?? 1900) / 1000) * stdev;
      rated.forEach((endpoint, index) => {
        if ((rates[index] as number) < threshold && enforced(config.enforcing_success_rate?.value ?? 100)) this.#eject(endpoint);
      });
    }

    const counted = volume(config.failure_percentage_request_volume?.value ?? 50);
    if (counted.length > 0 && counted.length >= (config.failure_percentage_minimum_hosts?.value ?? 5)) {
      const threshold = config.failure_percentage_threshold?.value ?? 85;
      for (const endpoint of counted) {
        if ((100 * endpoint.outlier.failures) / endpoint.outlier.requests >= threshold && enforced(config.enforcing_failure_percentage?.value ?? 0)) this.#eject(endpoint);
      }
    }

    for (const { outlier } of all) {
      if (outlier.ejectedUntil <= now && outlier.ejections > 0) outlier.ejections--;
      outlier.requests = 0;
      outlier.failures = 0;
    }
  }
}
