/**
 * A random item, drawn in proportion to `weightOf` (`total` is their sum, when already known); undefined when the
 * weights add up to nothing.
 */
export function drawByWeight<T>(items: readonly T[], weightOf: (item: T) => number, total = items.reduce((sum, item) => sum + weightOf(item), 0)): T | undefined {
  if (!(total > 0)) return undefined;
  let draw = Math.random() * total;
  for (const item of items) {
    draw -= weightOf(item);
    if (draw < 0) return item;
  }
  return items[items.length - 1];
}

const weightOf = (option: { weight: number }) => option.weight;

/** A random pick proportional to the weights (routes' and TCP proxies' weighted_clusters). */
export function weightedChoice(options: readonly { name: string; weight: number }[], what: string): () => string {
  const total = options.reduce((sum, option) => sum + option.weight, 0);
  if (total <= 0) throw new Error(`${what} needs a positive total weight`);
  return () => (drawByWeight(options, weightOf, total) as { name: string }).name;
}
