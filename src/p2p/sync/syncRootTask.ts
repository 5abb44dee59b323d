/**
 * One root sync task: bring our root chain to one peer's tip (DESIGN §10; reference/sync.md §4
 * "Recommended sync algorithm"), as an explicit sequence of phases:
 *
 *   check    skip a known tip or one not heavier than ours; the tip's seal
 *   ancestor the common ancestor (findAncestor.ts)
 *   headers  headers up to the tip, every one checked before its body is asked for, at most a
 *            window of them held ahead of the applied bodies (downloadHeaders.ts)
 *   bodies   from the first checked headers on, while later headers still arrive: root blocks
 *            and the minor blocks they list, in batches from every peer of the pool
 *            (downloadBodies.ts, bodyScheduler.ts), applied in chain order: per block its minor
 *            blocks, then the block (importRootBlock.ts)
 *
 * Pure logic over a SyncSource (and the pool's other peers, for bodies) and a SyncTarget: no
 * sockets, no threads; the only timer bounds each request. Never throws: every end is a SyncResult, and blocks added stay added.
 */
import { equalBytes } from '../../core/bytes.js';
import { ChainError } from '../../core/errors.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { downloadHeaders } from './downloadHeaders.js';
import { downloadBodies } from './downloadBodies.js';
import { findAncestor } from './findAncestor.js';
import { checkTipSeal, type SyncContext, type SyncPool } from './syncContext.js';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from './syncOptions.js';
import { emptyStats, SyncStop, type SyncResult } from './syncOutcome.js';
import type { SyncSource } from './syncSource.js';
import type { SyncTarget } from './syncTarget.js';

export type SyncPhase = 'check' | 'ancestor' | 'headers' | 'bodies' | 'done';

export interface SyncRootOptions extends Partial<SyncOptions> {
  /** Other peers to fetch bodies from, and the synchronizer's stop signal (rootSynchronizer.ts). */
  readonly pool?: SyncPool;
  /** Told each phase as it starts (logs, tests). */
  readonly onPhase?: (phase: SyncPhase) => void;
}

async function run(ctx: SyncContext, onPhase: (p: SyncPhase) => void): Promise<void> {
  onPhase('check');
  checkTipSeal(ctx, ctx.tip);
  onPhase('ancestor');
  const ancestor = await findAncestor(ctx);
  if (!equalBytes(rootHeaderHash(ancestor), rootHeaderHash(ctx.tip))) {
    const stop = ctx.pool?.stopped();
    if (stop) throw stop;
    onPhase('headers');
    await downloadBodies(ctx, (sink) => downloadHeaders(ctx, ancestor, sink), () => onPhase('bodies'));
  }
  onPhase('done');
}

/** Syncs `target` to the peer's `tip` from `source`. */
export async function syncRoot(source: SyncSource, target: SyncTarget, tip: RootHeader, options: SyncRootOptions = {}): Promise<SyncResult> {
  const { onPhase = () => undefined, pool, ...rest } = options;
  const ctx: SyncContext = { source, target, opts: { ...DEFAULT_SYNC_OPTIONS, ...rest }, stats: emptyStats(), tip, ...(pool ? { pool } : {}) };
  if (target.hasRootBlock(rootHeaderHash(tip))) return { outcome: { kind: 'skipped', reason: 'known' }, stats: ctx.stats };
  if (tip.totalDifficulty <= target.rootTip().td) return { outcome: { kind: 'skipped', reason: 'notHeavier' }, stats: ctx.stats };
  try {
    await run(ctx, onPhase);
    return { outcome: { kind: 'synced' }, stats: ctx.stats };
  } catch (e) {
    if (e instanceof SyncStop) return { outcome: e.outcome, stats: ctx.stats };
    return { outcome: { kind: 'aborted', error: ChainError.from(e) }, stats: ctx.stats };
  }
}
