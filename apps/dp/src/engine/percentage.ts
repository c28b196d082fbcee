import type { FractionalPercent } from "@zonemesh/xds";

const denominators = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 } as const;

/** A random draw that succeeds with the given probability; an absent percentage means 100 %. */
export function fractionalChance(percent: FractionalPercent | undefined): () => boolean {
  if (!percent) return () => true;
  const denominator = denominators[percent.denominator ?? "HUNDRED"];
  if (denominator === undefined) throw new Error(`denominator ${percent.denominator} is not supported`);
  const share = (percent.numerator ?? 0) / denominator;
  return () => Math.random() < share;
}
