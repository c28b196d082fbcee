import { z } from "zod";

// Go's time.ParseDuration syntax, which Kuma uses for policy durations: "10s", "500ms", "1m30s", "1.5h", "0".
const DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
// The Mesh's certificate lifetimes also take days and years ("1d", "10y"), as Kuma's docs use them.
const LONG_DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|y))+)$/;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  y: 365 * 86_400_000,
};

function durationOf(pattern: RegExp, examples: string) {
  return z.string().regex(pattern, { error: (issue) => `${JSON.stringify(issue.input)} is not a duration (expected e.g. ${examples})` });
}

export const durationSchema = durationOf(DURATION, '"10s", "500ms", "1m30s"');
export const longDurationSchema = durationOf(LONG_DURATION, '"1d", "10y", "12h"');

export type Duration = z.infer<typeof durationSchema>;

/** Milliseconds in a duration already validated by `durationSchema` or `longDurationSchema`. */
export function durationToMillis(duration: Duration): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|y)/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  }
  return total;
}
