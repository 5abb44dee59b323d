/**
 * Deposit lists received from other shards' blocks: stored on arrival (idempotently), read
 * back through a small cache, and, on a pruning chain, dropped once every cursor is past them.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';
import type { BatchOp } from '../store/kv.js';
import { lruSet } from '../core/lru.js';
import { ShardStore } from './shardStore.js';

/** Received deposit lists kept in memory (the rest are read back from the database). */
const LIST_CACHE_SIZE = 64;

export class XshardLists {
  private readonly cache = new Map<string, readonly Deposit[]>();
  /** Received lists by the root height that confirmed their source block (pruning chains). */
  private readonly byRoot = new Map<number, Bytes[]>();
  private prunedRootHeight = 0;

  constructor(private readonly store: ShardStore) {}

  /** Stores a list received from another shard's block (idempotent). */
  async add(sourceHash: Bytes, deposits: readonly Deposit[]): Promise<void> {
    const k = keyOf(sourceHash);
    if (this.cache.has(k)) return;
    await this.store.batch([ShardStore.putXshardList(sourceHash, deposits)]);
    lruSet(this.cache, k, deposits, LIST_CACHE_SIZE);
  }

  async load(sourceHash: Bytes): Promise<readonly Deposit[] | undefined> {
    const k = keyOf(sourceHash);
    const hit = this.cache.get(k);
    if (hit) return hit;
    const list = await this.store.xshardList(sourceHash);
    if (!list) return undefined;
    lruSet(this.cache, k, list, LIST_CACHE_SIZE);
    return list;
  }

  /** Pruning chains: the lists of `sources` are confirmed by the root block at `rootHeight`. */
  confirmedAt(rootHeight: number, sources: Bytes[]): void {
    if (sources.length) this.byRoot.set(rootHeight, [...(this.byRoot.get(rootHeight) ?? []), ...sources]);
  }

  /** Deletes the lists confirmed below root height `upTo` (every cursor is past them). */
  pruneBelow(upTo: number): BatchOp[] {
    const ops: BatchOp[] = [];
    for (; this.prunedRootHeight < upTo; this.prunedRootHeight++) {
      for (const h of this.byRoot.get(this.prunedRootHeight) ?? []) {
        ops.push(ShardStore.delXshardList(h));
        this.cache.delete(keyOf(h));
      }
      this.byRoot.delete(this.prunedRootHeight);
    }
    return ops;
  }
}
