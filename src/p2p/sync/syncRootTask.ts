/**
 * One root sync task: bring our root chain to one peer's tip (DESIGN §10; reference/sync.md §4
 * "Recommended sync algorithm"), as an explicit sequence of phases:
 *
 *   check    skip a known tip or one not heavier than ours; the tip's seal
 *   ancestor the common ancestor (findAncestor.ts)
 *   headers  a window of headers, every one checked before any body (downloadHeaders.ts)
 *   bodies   root blocks and the minor blocks they list, in batches from every peer of the pool
 *            (downloadBodies.ts, bodyScheduler.ts), applied in chain order: per block its minor
 *            blocks, then the block (importRootBlock.ts)
 *   ...      headers and bodies repeat until the tip is added
 *
 * Pure logic over a SyncSource (and the pool's other peers, for bodies) and a SyncTarget: no
 * sockets, no threads; the only timer bounds each request. Never throws: every end is a SyncResult, and blocks added stay added.
 */
import { equalBytes } from '../../core/bytes.js';
import { ChainError } from '../../core/errors.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { downloadHeaderWindow } from './downloadHeaders.js';
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

/** Adds the blocks of checked `headers` (oldest first), downloaded in batches from the pool's peers. */
async function importWindow(ctx: SyncContext, headers: readonly RootHeader[]): Promise<void> {
  await downloadBodies(ctx, headers.filter((h) => !ctx.target.hasRootBlock(rootHeaderHash(h))));
}

/** Ends the task if its synchronizer says so (a heavier peer, its peer gone). */
function checkStopped(ctx: SyncContext): void {
  const stop = ctx.pool?.stopped();
  if (stop) throw stop;
}

async function run(ctx: SyncContext, onPhase: (p: SyncPhase) => void): Promise<void> {
  onPhase('check');
  checkTipSeal(ctx, ctx.tip);
  onPhase('ancestor');
  let prev = await findAncestor(ctx);
  while (!equalBytes(rootHeaderHash(prev), rootHeaderHash(ctx.tip))) {
    checkStopped(ctx);
    onPhase('headers');
    const window = await downloadHeaderWindow(ctx, prev);
    onPhase('bodies');
    await importWindow(ctx, window);
    prev = window[window.length - 1]!;
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
