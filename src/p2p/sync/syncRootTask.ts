/**
 * One root sync task: bring our root chain to one peer's tip (DESIGN §10; reference/sync.md §4
 * "Recommended sync algorithm"), as an explicit sequence of phases:
 *
 *   check    skip a known tip or one not heavier than ours; the tip's seal
 *   ancestor the common ancestor (findAncestor.ts)
 *   headers  a window of headers, every one checked before any body (downloadHeaders.ts)
 *   bodies   root blocks in batches; per block its minor blocks, then the block (importRootBlock.ts)
 *   ...      headers and bodies repeat until the tip is added
 *
 * Pure logic over a SyncSource and a SyncTarget: no sockets, no threads; the only timer bounds
 * each request. Never throws: every end is a SyncResult, and blocks added stay added.
 */
import { equalBytes } from '../../core/bytes.js';
import { ChainError } from '../../core/errors.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { downloadHeaderWindow } from './downloadHeaders.js';
import { fetchRootBodies } from './fetchBlocks.js';
import { findAncestor } from './findAncestor.js';
import { importRootBlock } from './importRootBlock.js';
import { checkTipSeal, type SyncContext } from './syncContext.js';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from './syncOptions.js';
import { emptyStats, SyncStop, type SyncResult } from './syncOutcome.js';
import type { SyncSource } from './syncSource.js';
import type { SyncTarget } from './syncTarget.js';

export type SyncPhase = 'check' | 'ancestor' | 'headers' | 'bodies' | 'done';

export interface SyncRootOptions extends Partial<SyncOptions> {
  /** Told each phase as it starts (logs, tests). */
  readonly onPhase?: (phase: SyncPhase) => void;
}

/** Adds the blocks of checked `headers` (oldest first), a body batch at a time. */
async function importWindow(ctx: SyncContext, headers: readonly RootHeader[]): Promise<void> {
  const wanted = headers.filter((h) => !ctx.target.hasRootBlock(rootHeaderHash(h)));
  for (let i = 0; i < wanted.length; i += ctx.opts.bodyBatch) {
    for (const rb of await fetchRootBodies(ctx, wanted.slice(i, i + ctx.opts.bodyBatch))) await importRootBlock(ctx, rb);
  }
}

async function run(ctx: SyncContext, onPhase: (p: SyncPhase) => void): Promise<void> {
  onPhase('check');
  checkTipSeal(ctx, ctx.tip);
  onPhase('ancestor');
  let prev = await findAncestor(ctx);
  while (!equalBytes(rootHeaderHash(prev), rootHeaderHash(ctx.tip))) {
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
  const { onPhase = () => undefined, ...rest } = options;
  const ctx: SyncContext = { source, target, opts: { ...DEFAULT_SYNC_OPTIONS, ...rest }, stats: emptyStats(), tip };
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
