/**
 * In-memory twin of the LevelDB store: same semantics (byte-order iteration, atomic batches,
 * snapshot iteration), for tests and `--mem`. Keys are held as lowercase hex, whose string
 * order equals the byte order of the keys (a proper prefix sorts first in both).
 * Stored and returned buffers are copies, so callers may reuse theirs.
 *
 * Ordered iteration uses a sorted key array rebuilt lazily: writes only touch the Map and a
 * list of new keys, and the next iteration sorts the new keys and merges them in,
 * O(n + k log k), instead of an O(n) splice per insert.
 */
import { internal } from '../core/errors.js';
import { keyOf } from '../core/bytes.js';
import type { BatchOp, KV, KvRange } from './kv.js';

/** First index in `sorted` whose key is ≥ `k`. */
function lowerBound(sorted: readonly string[], k: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fromKey(k: string): Uint8Array {
  return Uint8Array.from(Buffer.from(k, 'hex'));
}

/** A range limit: absent, negative or infinite means none (LevelDB's convention). */
function limitOf(r: KvRange): number {
  const l = r.limit;
  return l === undefined || l < 0 || !Number.isFinite(l) ? Infinity : l;
}

/** Pending new or deleted keys that trigger a rebuild of the sorted index without an iteration. */
const REBUILD_MIN = 4_096;

class MemKv implements KV {
  private readonly map = new Map<string, Uint8Array>();
  /** Sorted keys; may still hold deleted keys (skipped on reading, dropped on rebuild). */
  private sorted: string[] = [];
  /** Keys inserted since the last rebuild, unsorted. */
  private added: string[] = [];
  private deletedSinceRebuild = 0;
  private closed = false;

  private open(): void {
    if (this.closed) throw internal('DB_CLOSED', 'in-memory database is closed');
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.open();
    const v = this.map.get(keyOf(key));
    return v === undefined ? undefined : Uint8Array.from(v);
  }

  async getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    this.open();
    return keys.map((k) => {
      const v = this.map.get(keyOf(k));
      return v === undefined ? undefined : Uint8Array.from(v);
    });
  }

  async batch(ops: BatchOp[]): Promise<void> {
    this.open();
    // Encode every key before touching the map, so a bad op leaves nothing half-applied.
    const keys = ops.map((op) => keyOf(op.key));
    const values = ops.map((op) => (op.type === 'put' ? Uint8Array.from(op.value) : undefined));
    for (let i = 0; i < ops.length; i++) {
      const k = keys[i]!;
      const v = values[i];
      if (v !== undefined) {
        if (!this.map.has(k)) this.added.push(k);
        this.map.set(k, v);
      } else if (this.map.delete(k)) {
        this.deletedSinceRebuild++;
      }
    }
    // A store written for long and never iterated (a pruning in-memory chain) would otherwise
    // keep every key it ever saw in these lists.
    if (this.added.length > Math.max(REBUILD_MIN, this.sorted.length) || this.deletedSinceRebuild > Math.max(REBUILD_MIN, this.sorted.length / 2)) this.rebuild();
  }

  private rebuild(): void {
    this.added.sort();
    const merged: string[] = [];
    const a = this.sorted;
    const b = this.added;
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const k = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
      if (this.map.has(k) && merged[merged.length - 1] !== k) merged.push(k);
    }
    this.sorted = merged;
    this.added = [];
    this.deletedSinceRebuild = 0;
  }

  iterate(range: KvRange): AsyncIterable<[Uint8Array, Uint8Array]> {
    this.open();
    if (this.added.length > 0 || this.deletedSinceRebuild > this.sorted.length / 2) this.rebuild();
    const lo = range.gte === undefined ? 0 : lowerBound(this.sorted, keyOf(range.gte));
    const hi = range.lt === undefined ? this.sorted.length : lowerBound(this.sorted, keyOf(range.lt));
    const limit = limitOf(range);
    // Snapshot now, as LevelDB iterators do; stored values are never mutated in place.
    const snap: [string, Uint8Array][] = [];
    const step = range.reverse ? -1 : 1;
    for (let i = range.reverse ? hi - 1 : lo; i >= lo && i < hi && snap.length < limit; i += step) {
      const k = this.sorted[i]!;
      const v = this.map.get(k);
      if (v !== undefined) snap.push([k, v]);
    }
    return (async function* () {
      for (const [k, v] of snap) yield [fromKey(k), Uint8Array.from(v)] as [Uint8Array, Uint8Array];
    })();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export function memKv(): KV {
  return new MemKv();
}
