/**
 * Memoises a function of an immutable object (hashes of headers, blocks and transactions),
 * so that a hash is computed once per object however many layers ask for it.
 */
export function memoByObject<T extends object, R>(fn: (o: T) => R): Memo<T, R> {
  const cache = new WeakMap<T, R>();
  const memo = (o: T): R => {
    let v = cache.get(o);
    if (v === undefined) {
      v = fn(o);
      cache.set(o, v);
    }
    return v;
  };
  return Object.assign(memo, { prime: (o: T, v: R): void => { cache.set(o, v); } });
}

/** A memoised function; `prime` records a value already known (it must be what the function would return). */
export type Memo<T extends object, R> = ((o: T) => R) & { readonly prime: (o: T, v: R) => void };
