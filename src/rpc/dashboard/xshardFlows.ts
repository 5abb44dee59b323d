/**
 * The deposits sent from each shard to each other shard over the last N root blocks (the
 * dashboard's heatmap). A shard block's cross-shard transfers are counted by destination when it
 * is added (its body read once from its shard); a root block that confirms it adds those counts
 * to its own row, and the matrix is the sum of the last `rootWindow` root blocks' rows.
 */
import { toHex, type Bytes } from '../../core/bytes.js';
import { keyToFullShardId } from '../../core/branch.js';
import { shardSizeOf, type Config } from '../../core/config.js';
import { minorHeaderHash } from '../../core/minorBlock.js';
import type { RootBlock } from '../../core/rootBlock.js';
import type { Transaction } from '../../core/transaction.js';

/** Root blocks summed in the heatmap: about three minutes at the default 10 s root block time. */
export const DEFAULT_ROOT_WINDOW = 16;
/** Shard blocks whose counts wait for a root block: far more than a root block ever lists. */
const MAX_PENDING_BLOCKS = 4096;

/** Destination full shard id → deposits, for one shard block. */
export type DestCounts = ReadonlyMap<number, number>;

/** Cross-shard transfers of one block by destination full shard id. */
export function countByDestination(cfg: Config, source: number, txs: readonly Transaction[]): Map<number, number> {
  const sizes = shardSizeOf(cfg);
  const out = new Map<number, number>();
  for (const tx of txs) {
    let dest: number;
    try { dest = keyToFullShardId(tx.to.fullShardKey, sizes); } catch { continue; }
    if (dest !== source) out.set(dest, (out.get(dest) ?? 0) + 1);
  }
  return out;
}

export class XshardFlows {
  /** Shard block hash (hex) → its source shard and counts, until a root block lists it. */
  private readonly pending = new Map<string, { source: number; counts: DestCounts }>();
  /** One matrix row set per recent root block: `${from}>${to}` → deposits. */
  private readonly rows: Map<string, number>[] = [];

  constructor(readonly shardIds: readonly number[], readonly rootWindow = DEFAULT_ROOT_WINDOW) {}

  /** A shard block was added: remember its deposits by destination. */
  addShardBlock(source: number, hash: Bytes, counts: DestCounts): void {
    this.pending.set(toHex(hash), { source, counts });
    if (this.pending.size > MAX_PENDING_BLOCKS) this.pending.delete(this.pending.keys().next().value!);
  }

  /** A root block became the tip: the shard blocks it confirms send their deposits. */
  addRootBlock(rb: RootBlock): void {
    const row = new Map<string, number>();
    for (const h of rb.minorHeaders) {
      const key = toHex(minorHeaderHash(h));
      const p = this.pending.get(key);
      if (!p) continue;
      this.pending.delete(key);
      for (const [to, n] of p.counts) row.set(`${p.source}>${to}`, (row.get(`${p.source}>${to}`) ?? 0) + n);
    }
    this.rows.push(row);
    if (this.rows.length > this.rootWindow) this.rows.shift();
  }

  /** matrix[i][j]: deposits from shardIds[i] to shardIds[j] over the last root blocks seen. */
  matrix(): number[][] {
    return this.shardIds.map((from) => this.shardIds.map((to) => this.rows.reduce((s, r) => s + (r.get(`${from}>${to}`) ?? 0), 0)));
  }

  /** Root blocks the matrix covers (fewer than the window early on). */
  get rootBlocks(): number {
    return this.rows.length;
  }
}
