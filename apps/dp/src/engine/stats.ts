/** A counter's identity: its name and labels. Built a few times per request: a plain concatenation, not JSON.stringify. */
function keyOf(name: string, labels: Record<string, string>): string {
  let key = name;
  for (const label in labels) key += `\u0000${label}\u0001${labels[label]}`;
  return key;
}

/** Counters and gauges, exposed in Prometheus' text format by the admin endpoint. */
export class Stats {
  readonly #values = new Map<string, { name: string; labels: Record<string, string>; value: number }>();

  add(name: string, labels: Record<string, string>, delta = 1): void {
    const key = keyOf(name, labels);
    const entry = this.#values.get(key);
    if (entry) entry.value += delta;
    else this.#values.set(key, { name, labels, value: delta });
  }

  /** One counter resolved once (at compile time) for the hot path; it shows up at its first increment. */
  counter(name: string, labels: Record<string, string>): () => void {
    let entry: { value: number } | undefined;
    return () => {
      if (entry) entry.value++;
      else {
        this.add(name, labels);
        entry = this.#values.get(keyOf(name, labels));
      }
    };
  }

  prometheus(): string {
    const escape = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
    return [...this.#values.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, labels, value }) => {
        const text = Object.entries(labels).map(([key, label]) => `${key}="${escape(label)}"`).join(",");
        return `zonemesh_dp_${name}${text ? `{${text}}` : ""} ${value}\n`;
      })
      .join("");
  }
}
