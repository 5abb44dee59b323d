/**
 * Blocks that cannot be checked yet because something they build on is missing (their parent
 * block, or the root block they reference), held by that missing hash until it arrives
 * (QuarkChain's `handle_new_block` keeps such blocks instead of dropping them). Bounded: past
 * `capacity` the oldest held block goes, and a block older than `maxAgeMs` is dropped when the
 * pool is next touched, so a peer cannot fill memory with blocks that never connect.
 */
export interface Held<T> {
  readonly key: string;
  readonly waitsFor: string;
  readonly item: T;
  readonly atMs: number;
}

export class OrphanPool<T> {
  /** By block key, oldest first (Map keeps insertion order). */
  private readonly held = new Map<string, Held<T>>();
  /** Block keys by the hash they wait for. */
  private readonly byWait = new Map<string, Set<string>>();

  constructor(readonly capacity: number, readonly maxAgeMs: number) {}

  get size(): number {
    return this.held.size;
  }

  has(key: string): boolean {
    return this.held.has(key);
  }

  /** Holds `item` (block `key`) until `waitsFor` arrives; false when it is held already. */
  hold(key: string, waitsFor: string, item: T, nowMs: number): boolean {
    this.expire(nowMs);
    if (this.held.has(key)) return false;
    this.held.set(key, { key, waitsFor, item, atMs: nowMs });
    let s = this.byWait.get(waitsFor);
    if (!s) this.byWait.set(waitsFor, (s = new Set()));
    s.add(key);
    if (this.held.size > this.capacity) this.remove(this.held.keys().next().value as string);
    return true;
  }

  /** `arrived` is here now: the blocks that waited for it, oldest first, no longer held. */
  release(arrived: string, nowMs: number): T[] {
    this.expire(nowMs);
    const keys = this.byWait.get(arrived);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const h = this.held.get(k);
      if (h) out.push(h.item);
      this.held.delete(k);
    }
    this.byWait.delete(arrived);
    return out;
  }

  private remove(key: string): void {
    const h = this.held.get(key);
    if (!h) return;
    this.held.delete(key);
    const s = this.byWait.get(h.waitsFor);
    s?.delete(key);
    if (s && s.size === 0) this.byWait.delete(h.waitsFor);
  }

  private expire(nowMs: number): void {
    for (const h of this.held.values()) {
      if (nowMs - h.atMs <= this.maxAgeMs) break;
      this.remove(h.key);
    }
  }
}
