/**
 * One shard sync task (DESIGN §10, issue "shard P2P" item 2): bring one shard's chain to a
 * peer's shard tip beyond what root blocks confirm. QuarkChain's minor-block synchronizer does
 * the same: walk the peer's headers back from its tip until one we store, then fetch the blocks
 * after it, oldest first, and add them through the shard's normal path.
 *
 *   check    skip a tip we store, one not above our shard tip, or one on a root block we lack
 *   headers  GET_SHARD_HEADERS toward genesis from the tip, checked for branch, height and
 *            linkage, until a header whose parent we store (at most `maxHeaders` back: a deeper
 *            fork is root sync's to resolve)
 *   blocks   GET_SHARD_BLOCKS in batches, each added in order (the shard validates everything)
 *
 * Pure logic over a SyncSource and a ShardSyncTarget. Never throws: every end is a SyncResult,
 * and blocks added stay added.
 */
import { equalBytes, toHex, type Bytes } from '../../core/bytes.js';
import { ChainError, notYet } from '../../core/errors.js';
import { minorHeaderHash, type MinorBlock, type MinorHeader } from '../../core/minorBlock.js';
import { syncFault } from '../peerFault.js';
import { boundedRequest } from './boundedRequest.js';
import { fetchMinorBlocks } from './fetchBlocks.js';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from './syncOptions.js';
import { emptyStats, stopAborted, stopFault, SyncStop, type SyncResult, type SyncStats } from './syncOutcome.js';
import type { SyncSource } from './syncSource.js';

/** Shard headers a task walks back before giving up: ~100 blocks of 3 s each past the last root block is far more than a live gap. */
export const MAX_SHARD_SYNC_HEADERS = 2_000;

/** What shard sync needs of the local node. */
export interface ShardSyncTarget {
  /** True when we store the shard block (any fork). */
  hasMinorBlock(hash: Bytes): boolean;
  hasRootBlock(hash: Bytes): boolean;
  /** Height of our tip on `shard`. */
  shardTipHeight(shard: number): number;
  /** Validates and adds blocks of `shard`, oldest first; a refusal throws its ChainError. */
  addMinorBlocks(shard: number, blocks: readonly MinorBlock[]): Promise<void>;
}

export interface SyncShardOptions extends Partial<SyncOptions> {
  readonly maxHeaders?: number;
}

interface ShardCtx {
  readonly source: SyncSource;
  readonly target: ShardSyncTarget;
  readonly opts: SyncOptions;
  readonly stats: SyncStats;
  readonly shard: number;
}

const short = (h: Bytes): string => toHex(h).slice(0, 18);

/** The headers after the newest one we store, oldest first, ending at `tip`. */
async function walkBack(ctx: ShardCtx, tip: MinorHeader, maxHeaders: number): Promise<MinorHeader[]> {
  const out: MinorHeader[] = [];
  let want = minorHeaderHash(tip);
  let height = tip.height;
  for (;;) {
    const what = `shard 0x${ctx.shard.toString(16)} headers from height ${height}`;
    const limit = Math.min(ctx.opts.headerBatch, height, maxHeaders - out.length);
    ctx.stats.headerRequests++;
    const q = { origin: { kind: 'hash' as const, hash: want }, limit, skip: 0, direction: 'toGenesis' as const };
    const reply = await boundedRequest(ctx.source, what, ctx.opts.requestTimeoutMs, () => ctx.source.getShardHeaders(ctx.shard, q));
    if (reply.headers.length === 0) throw stopFault(syncFault('P2P_SHORT_RESPONSE', `${what}: none, though it announced that tip`));
    if (reply.headers.length > limit) throw stopFault(syncFault('P2P_HEADERS_NOT_CONTIGUOUS', `${what}: ${reply.headers.length} headers, ${limit} asked for`));
    for (const h of reply.headers) {
      if (h.height !== height) throw stopFault(syncFault('P2P_HEADERS_NOT_CONTIGUOUS', `${what}: height ${h.height} where ${height} was due`));
      if (!equalBytes(minorHeaderHash(h), want)) throw stopFault(syncFault('P2P_HEADERS_NOT_LINKED', `${what}: ${short(minorHeaderHash(h))} is not ${short(want)}`));
      out.push(h);
      ctx.stats.headers++;
      want = h.hashPrevMinorBlock;
      height--;
      if (ctx.target.hasMinorBlock(want)) return out.reverse();
    }
    if (height < 0 || out.length >= maxHeaders) {
      throw stopAborted(notYet('P2P_SYNC_TOO_DEEP', `shard 0x${ctx.shard.toString(16)}: no stored ancestor within ${out.length} headers of the peer's tip`));
    }
  }
}

async function run(ctx: ShardCtx, tip: MinorHeader, maxHeaders: number): Promise<void> {
  const headers = await walkBack(ctx, tip, maxHeaders);
  const hashes = headers.map(minorHeaderHash);
  for (let i = 0; i < hashes.length; i += ctx.opts.minorBatch) {
    const blocks = await fetchMinorBlocks(ctx, ctx.shard, hashes.slice(i, i + ctx.opts.minorBatch));
    try {
      await ctx.target.addMinorBlocks(ctx.shard, blocks);
    } catch (e) {
      const err = ChainError.from(e);
      throw err.cls === 'invalid' ? stopFault(syncFault('P2P_BAD_BLOCK', `shard 0x${ctx.shard.toString(16)} blocks: ${err.message}`)) : stopAborted(err);
    }
  }
}

/** Syncs `shard` of `target` to the peer's shard `tip` from `source`. */
export async function syncShard(source: SyncSource, target: ShardSyncTarget, shard: number, tip: MinorHeader, options: SyncShardOptions = {}): Promise<SyncResult> {
  const { maxHeaders = MAX_SHARD_SYNC_HEADERS, ...rest } = options;
  const ctx: ShardCtx = { source, target, shard, opts: { ...DEFAULT_SYNC_OPTIONS, headerBatch: DEFAULT_SYNC_OPTIONS.minorBatch, ...rest }, stats: emptyStats() };
  if (target.hasMinorBlock(minorHeaderHash(tip))) return { outcome: { kind: 'skipped', reason: 'known' }, stats: ctx.stats };
  if (tip.height <= target.shardTipHeight(shard) || !target.hasRootBlock(tip.hashPrevRootBlock)) {
    return { outcome: { kind: 'skipped', reason: 'notHeavier' }, stats: ctx.stats };
  }
  try {
    await run(ctx, tip, maxHeaders);
    return { outcome: { kind: 'synced' }, stats: ctx.stats };
  } catch (e) {
    if (e instanceof SyncStop) return { outcome: e.outcome, stats: ctx.stats };
    return { outcome: { kind: 'aborted', error: ChainError.from(e) }, stats: ctx.stats };
  }
}
