/**
 * The forward header download (reference/sync.md §1.4): from the block after `from`, toward
 * the peer's tip, `headerBatch` per request, at most `headerWindow` held ahead of the bodies, every one checked
 * (checkHeaderChain: heights, linkage, TD, header rules with the seal) before any body is asked
 * for. The response must hold exactly the headers up to the batch or the peer's tip. When the
 * download reaches the tip's height, the last header must be the tip: a chain that ends at
 * another TD is a lie about the announced TD. A peer whose tip moved so that its chain no longer
 * continues ours is not at fault: the task ends with `retarget`.
 */
import { equalBytes } from '../../core/bytes.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { syncFault } from '../peerFault.js';
import { checkHeaderChain, linkFault } from './checkHeaderChain.js';
import { observeRemoteTip, requestHeaders, type SyncContext } from './syncContext.js';
import { isDeferral, stopAborted, stopFault, SyncStop } from './syncOutcome.js';
import type { RootHeadersReply } from './syncSource.js';
import type { HeaderQuery } from '../messageTypes.js';
import type { SyncOptions } from './syncOptions.js';

const retarget = (ctx: SyncContext): SyncStop => new SyncStop({ kind: 'retarget', tip: ctx.tip });

/** `headers` checked as the continuation of `prev` (the rules skipped for those an earlier task checked); throws the first fault. */
function accept(ctx: SyncContext, prev: RootHeader, headers: readonly RootHeader[]): void {
  const kept = ctx.pool?.checked;
  const known = kept && ((h: RootHeader): boolean => {
    if (!kept.has(h)) return false;
    ctx.stats.headersKnown++;
    return true;
  });
  const check = checkHeaderChain(prev, headers, ctx.target, known);
  if (!check.ok) throw 'fault' in check ? stopFault(check.fault) : stopAborted(check.error);
  kept?.add(headers);
}

/** At the tip's height the chain must end at the tip itself. */
function checkReachedTip(ctx: SyncContext, last: RootHeader): void {
  if (equalBytes(rootHeaderHash(last), rootHeaderHash(ctx.tip))) return;
  if (last.totalDifficulty !== ctx.tip.totalDifficulty) {
    throw stopFault(syncFault('P2P_TD_MISMATCH', `the chain reaches height ${last.height} at TD ${last.totalDifficulty}, announced ${ctx.tip.totalDifficulty}`));
  }
  throw stopFault(syncFault('P2P_TIP_MISMATCH', `the chain reaches height ${last.height} with another block than the announced tip`));
}

/** Where checked headers go: the body download (downloadBodies.ts), which bounds how many it holds. */
export interface HeaderSink {
  /** Checked headers continuing the ones added before (oldest first, never empty), and the round trip that brought them (ms). */
  add(headers: readonly RootHeader[], roundTripMs?: number): void;
  /** Resolves with how many more headers may be fetched now (> 0), once there is room. */
  room(): Promise<number>;
  /**
   * Resolves true once a body download in flight ends (a request slot of our transport freed),
   * false at once when none is in flight: a header request our own cap refused is then retried.
   */
  freed(): Promise<boolean>;
}

/** How many headers a task's first forward request asks for (the head start sends the same: headStart.ts). */
export const firstHeaderLimit = (opts: Pick<SyncOptions, 'firstHeaderBatch' | 'headerBatch'>): number => Math.min(opts.firstHeaderBatch, opts.headerBatch);

/** A header request; one our own request cap refused (the body downloads hold the slots) is sent again once one of them ends. */
async function requestWhenFree(ctx: SyncContext, sink: HeaderSink, q: HeaderQuery): Promise<RootHeadersReply> {
  for (;;) {
    ctx.stats.headerRequests++;
    try {
      return await requestHeaders(ctx, 'header download', q);
    } catch (e) {
      if (!isDeferral(e) || !(await sink.freed())) throw e;
    }
  }
}

/**
 * Downloads the checked headers after `from` up to the peer's tip into `sink`, request after
 * request, while the bodies of the ones already added download (go-ethereum's skeleton sync): at
 * most `headerWindow` headers are held unapplied. The first request asks for `firstHeaderBatch`
 * only, so that its bodies are asked for as soon as it is checked. Throws a SyncStop.
 */
export async function downloadHeaders(ctx: SyncContext, from: RootHeader, sink: HeaderSink): Promise<void> {
  const { opts } = ctx;
  let prev = from;
  let batch = firstHeaderLimit(opts);
  while (prev.height < ctx.tip.height) {
    const room = await sink.room();
    const stop = ctx.pool?.stopped();
    if (stop) throw stop;
    // The tip itself is in hand: no request for the last header (the common "one new block" case).
    if (ctx.tip.height === prev.height + 1 && equalBytes(ctx.tip.hashPrevBlock, rootHeaderHash(prev))) {
      accept(ctx, prev, [ctx.tip]);
      ctx.stats.headers++;
      sink.add([ctx.tip]);
      return;
    }
    const limit = Math.min(batch, room, ctx.tip.height - prev.height);
    batch = opts.headerBatch;
    const sent = Date.now();
    const reply = await requestWhenFree(ctx, sink, { origin: { kind: 'height', height: prev.height + 1 }, limit, skip: 0, direction: 'toTip' });
    const roundTripMs = reply.roundTripMs ?? Date.now() - sent;
    const moved = observeRemoteTip(ctx, reply.rootTip);
    const want = Math.max(0, Math.min(limit, ctx.tip.height - prev.height));
    if (want === 0) throw retarget(ctx); // its new tip is no higher than what we have of its chain
    if (reply.headers.length !== want) {
      throw stopFault(syncFault('P2P_SHORT_RESPONSE', `header download from height ${prev.height + 1}: ${reply.headers.length} headers, ${want} expected`));
    }
    if (moved && linkFault(reply.headers[0]!, prev)) throw retarget(ctx);
    accept(ctx, prev, reply.headers);
    ctx.stats.headers += reply.headers.length;
    prev = reply.headers[reply.headers.length - 1]!;
    if (prev.height >= ctx.tip.height) checkReachedTip(ctx, prev);
    sink.add(reply.headers, roundTripMs);
  }
}
