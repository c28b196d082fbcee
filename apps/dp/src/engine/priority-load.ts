/** One priority of a cluster: its hosts (by count, as Envoy's default) and how many of them can take a request now. */
export interface PriorityLevel {
  priority: number;
  available: number;
  total: number;
}

/**
 * Envoy's priority load. A priority's health is the share of its hosts available times the overprovisioning factor
 * (percent, default 140), capped at 100 %; their sum, capped at 100 %, is the normalized total health.
 */
export function normalizedTotalHealth(levels: readonly PriorityLevel[], overprovisioningFactor: number): number {
  return Math.min(100, levels.reduce((sum, level) => sum + health(level, overprovisioningFactor), 0));
}

/** A priority's (or a locality's) health, in percent: its available share of hosts times the factor, capped at 100. */
export function health({ available, total }: Pick<PriorityLevel, "available" | "total">, overprovisioningFactor: number): number {
  return total === 0 ? 0 : Math.min(100, (overprovisioningFactor * available) / total);
}

/**
 * Priority 0 takes its health's share of the load and each next priority what is left up to its own health, all
 * scaled up when the normalized total health is under 100 %. `draw` in [0, 1) picks one; with no health anywhere,
 * the first priority (where Envoy's panic mode then applies).
 */
export function choosePriority(levels: readonly PriorityLevel[], overprovisioningFactor: number, draw: number): number | undefined {
  const totalHealth = normalizedTotalHealth(levels, overprovisioningFactor);
  if (totalHealth === 0) return levels[0]?.priority;
  let left = 100;
  let point = draw * 100;
  for (const level of levels) {
    const load = Math.min(left, (health(level, overprovisioningFactor) * 100) / totalHealth);
    if (point < load) return level.priority;
    point -= load;
    left -= load;
  }
  // Rounding can leave a sliver past the last share: it goes to the last priority with an available host.
  return levels.findLast((level) => level.available > 0)?.priority;
}
