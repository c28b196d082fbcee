/** A random pick proportional to the weights (routes' and TCP proxies' weighted_clusters). */
export function weightedChoice(options: readonly { name: string; weight: number }[], what: string): () => string {
  const total = options.reduce((sum, option) => sum + option.weight, 0);
  if (total <= 0) throw new Error(`${what} needs a positive total weight`);
  return () => {
    let draw = Math.random() * total;
    for (const option of options) {
      draw -= option.weight;
      if (draw < 0) return option.name;
    }
    return (options[options.length - 1] as { name: string }).name;
  };
}
