import { z } from "zod";

// Go's time.ParseDuration syntax, which Kuma uses for every duration field: "10s", "500ms", "1m30s", "1.5h", "0".
const DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export const durationSchema = z
  .string()
  .regex(DURATION, { error: (issue) => `${JSON.stringify(issue.input)} is not a duration (expected e.g. "10s", "500ms", "1m30s")` });

export type Duration = z.infer<typeof durationSchema>;

/** Milliseconds in a duration already validated by `durationSchema`. */
export function durationToMillis(duration: Duration): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  }
  return total;
}
