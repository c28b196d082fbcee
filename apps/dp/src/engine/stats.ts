/** Counters and gauges, exposed in Prometheus' text format by the admin endpoint. */
export class Stats {
  readonly #values = new Map<string, { name: string; labels: Record<string, string>; value: number }>();

  add(name: string, labels: Record<string, string>, delta = 1): void {
    const key = `${name}${JSON.stringify(labels)}`;
    const entry = this.#values.get(key);
    if (entry) entry.value += delta;
    else this.#values.set(key, { name, labels, value: delta });
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
