// What a load child process prints on its last stdout line, and the summary of its latency samples.
import { percentile } from "../store/stats";

export interface LoadResult {
  /** Answered during the warm-up, not measured (the proxies' CPU time covers them too). */
  warmupRequests: number;
  requests: number;
  errors: number;
  seconds: number;
  /** Milliseconds, fractional. */
  p50: number;
  p99: number;
}

export function summarize(warmupRequests: number, samples: number[], errors: number, seconds: number): LoadResult {
  return { warmupRequests, requests: samples.length, errors, seconds, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}
