import type { Duration } from "@zonemesh/xds";

export function durationMs(duration: Duration | undefined, fallbackMs: number): number {
  if (!duration) return fallbackMs;
  return Number(duration.seconds ?? 0) * 1000 + Math.floor(Number(duration.nanos ?? 0) / 1e6);
}
