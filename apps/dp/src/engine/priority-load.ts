/** One priority of a cluster: its hosts (by count, as Envoy's default) and how many of them can take a request now. */
export interface PriorityLevel {
  priority: number;
  available: number;
  total: number;
}

/**
 * Envoy's priority load. A priority's health is the share of its hosts available times the overprovisioning factor
 * (percent, default 140), capped at 100 %. Priority 0 takes its health's share of the load and each next priority
 * what is left up to its own health, all scaled up when the healths add up to less than 100 %. `draw` in [0, 1) picks
 * one; undefined when no priority has an available host.
 */
export function choosePriority(levels: readonly PriorityLevel[], overprovisioningFactor: number, draw: number): number | undefined {
  const health = levels.map(({ available, total }) => (total === 0 ? 0 : Math.min(100, (overprovisioningFactor * available) / total)));
  const totalHealth = Math.min(100, health.reduce((sum, value) => sum + value, 0));
  if (totalHealth === 0) return undefined;
  let left = 100;
  let point = draw * 100;
  for (const [index, level] of levels.entries()) {
    const load = Math.min(left, ((health[index] as number) * 100) / totalHealth);
    if (point < load) return level.priority;
    point -= load;
    left -= load;
  }
  // Rounding can leave a sliver past the last share: it goes to the last priority with an available host.
  return levels.findLast((level) => level.available > 0)?.priority;
}
