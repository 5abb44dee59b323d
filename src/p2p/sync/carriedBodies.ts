/**
 * Bodies a root sync task downloaded but did not apply, kept for the next task (issue 12: a peer
 * switch keeps validated work; go-ethereum's block pool keeps its sections across peers). A task
 * retargeted to a heavier peer, or ended by its peer leaving, has usually fetched batches ahead
 * of its import; the next task starts from the blocks applied, and its first batches are those
 * same blocks when the new peer's chain holds them.
 *
 * A body is taken by its root block hash, which the next task's checked headers pin (the body
 * was checked against that same hash when it came, its shard blocks against the root block's
 * listing), so it does not matter which peer sent it. A batch is taken whole or not at all: a
 * batch with any block missing is fetched as before. Bounded: the oldest go first past
 * `capacity` root blocks (the fetch-ahead window's worth).
 */
import { keyOf } from '../../core/bytes.js';
import { lruSet } from '../../core/lru.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import type { DownloadedRoot } from './syncSource.js';

export class CarriedBodies {
  private readonly byHash = new Map<string, DownloadedRoot>();

  constructor(private readonly capacity: number) {}

  /** Root blocks held. */
  get size(): number {
    return this.byHash.size;
  }

  /** Keeps `roots` (downloaded, not applied), dropping the oldest held past the capacity. */
  keep(roots: readonly DownloadedRoot[]): void {
    for (const d of roots) lruSet(this.byHash, keyOf(rootHeaderHash(d.block.header)), d, this.capacity);
  }

  /** Drops everything (a task reached its tip: what is held is applied or on a branch left behind). */
  clear(): void {
    this.byHash.clear();
  }

  /** The bodies of every one of `headers`, in their order, no longer held; undefined (and nothing taken) if one is missing. */
  take(headers: readonly RootHeader[]): DownloadedRoot[] | undefined {
    const keys: string[] = [];
    for (const h of headers) {
      const k = keyOf(rootHeaderHash(h));
      if (!this.byHash.has(k)) return undefined; // most batches miss at their first block
      keys.push(k);
    }
    const out = keys.map((k) => this.byHash.get(k)!);
    for (const k of keys) this.byHash.delete(k);
    return out;
  }
}
