/** Sets `key` as the newest entry of `map` (Maps iterate in insertion order) and drops the oldest beyond `max`. */
export function keepRecent<Key, Value>(map: Map<Key, Value>, key: Key, value: Value, max: number) {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
