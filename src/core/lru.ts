/** Insertion-ordered Map as a least-recently-set cache: (re)inserts `k` and drops the oldest past `cap`. */
export function lruSet<K, V>(m: Map<K, V>, k: K, v: V, cap: number): void {
  m.delete(k);
  m.set(k, v);
  if (m.size > cap) m.delete(m.keys().next().value as K);
}
