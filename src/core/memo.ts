/**
 * Memoises a function of an immutable object (hashes of headers, blocks and transactions),
 * so that a hash is computed once per object however many layers ask for it.
 */
export function memoByObject<T extends object, R>(fn: (o: T) => R): (o: T) => R {
  const cache = new WeakMap<T, R>();
  return (o: T): R => {
    let v = cache.get(o);
    if (v === undefined) {
      v = fn(o);
      cache.set(o, v);
    }
    return v;
  };
}
