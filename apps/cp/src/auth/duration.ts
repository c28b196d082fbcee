// Token validity as Kuma writes it (Go durations such as "24h", "1h30m", "90s").

const unitSeconds: Record<string, number> = { h: 3600, m: 60, s: 1 };
const wholePattern = /^(\d+[hms])+$/;
const partPattern = /(\d+)([hms])/g;

/** Seconds in a duration like "24h" or "1h30m"; null when it is not one or is zero. */
export function parseDuration(text: string): number | null {
  if (!wholePattern.test(text)) return null;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(partPattern)) seconds += Number(amount) * unitSeconds[unit!]!;
  return seconds > 0 ? seconds : null;
}
