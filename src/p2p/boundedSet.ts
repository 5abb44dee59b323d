/**
 * A set of string keys with a capacity: adding past it forgets the oldest key. Used for the
 * seen-set of relayed blocks and the per-peer known-set of transfers, where forgetting an old
 * key costs at most one redundant relay, while an unbounded set would grow with the chain.
 */
export class BoundedSet {
  private readonly keys = new Set<string>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity ${capacity} < 1`);
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Adds `key`; false when it was already there (its age is not refreshed: first seen is what counts). */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }

  delete(key: string): boolean {
    return this.keys.delete(key);
  }

  clear(): void {
    this.keys.clear();
  }
}
