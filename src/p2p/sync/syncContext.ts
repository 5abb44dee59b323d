/**
 * The state one sync task threads through its phases: the peer, our chain, the options, the
 * counters, and the peer's tip we are syncing to (it may move: `observeRemoteTip`).
 */
import { equalBytes } from '../../core/bytes.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import type { HeaderQuery } from '../messageTypes.js';
import { peerFault, syncFault, type PeerFault } from '../peerFault.js';
import { boundedRequest } from './boundedRequest.js';
import type { CarriedBodies } from './carriedBodies.js';
import type { CheckedHeaders } from './checkedHeaders.js';
import { headerRuleFault } from './checkHeaderChain.js';
import type { SyncOptions } from './syncOptions.js';
import { stopAborted, stopFault, type SyncStats, type SyncStop } from './syncOutcome.js';
import type { RootHeadersReply, SyncSource } from './syncSource.js';
import type { SyncTarget } from './syncTarget.js';

/** A peer that may serve bodies, with the id its faults are reported under. */
export interface BodyPeer {
  readonly id: string;
  readonly source: SyncSource;
  /** The TD of its root tip: it is asked only for blocks up to that TD. */
  readonly tipTd: bigint;
}

/**
 * The other peers a task may fetch bodies from, and the task's link to its synchronizer
 * (rootSynchronizer.ts). Without a pool a task uses its one source, as before.
 */
export interface SyncPool {
  /** The id of the task's own peer (the one whose headers were checked). */
  readonly primaryId: string;
  /** The connected peers that may serve bodies (the primary included while it is connected). */
  peers(): readonly BodyPeer[];
  /** A fault of another peer than the primary (the primary's ends the task with it). */
  onFault(id: string, fault: PeerFault, reported: boolean): void;
  /** Set when the task must end now (a heavier peer appeared, its peer left): checked between steps. */
  stopped(): SyncStop | undefined;
  /** Resolves once `stopped()` is set, to wake a task that waits for downloads. */
  readonly whenStopped: Promise<void>;
  /** Bodies earlier tasks downloaded and did not apply: taken before fetching, and what this task leaves unapplied goes there. */
  readonly carried?: CarriedBodies;
  /** Headers earlier tasks checked: not put through the header rules again; this task's go there too. */
  readonly checked?: CheckedHeaders;
}

export interface SyncContext {
  readonly source: SyncSource;
  readonly pool?: SyncPool;
  readonly target: SyncTarget;
  readonly opts: SyncOptions;
  readonly stats: SyncStats;
  /** The peer's tip we sync to. */
  tip: RootHeader;
}

/** Rejects with the task's stop once its synchronizer ends it (for requests to race against); undefined without a pool. */
export function stopSignal(ctx: Pick<SyncContext, 'pool'>): Promise<never> | undefined {
  const pool = ctx.pool;
  if (!pool) return undefined;
  const signal = pool.whenStopped.then((): never => {
    throw pool.stopped() ?? stopAborted(new Error('sync stopped'));
  });
  signal.catch(() => undefined); // raced by whoever asks; not an unhandled rejection meanwhile
  return signal;
}

/** The seal of a tip the peer reports, before we act on it. */
export function checkTipSeal(ctx: SyncContext, tip: RootHeader): void {
  try {
    ctx.target.checkSeal(tip);
  } catch (e) {
    const fault = headerRuleFault(e, `announced tip at height ${tip.height}`);
    throw fault ? stopFault(fault) : stopAborted(e);
  }
}

/**
 * A root tip carried by a response. Its TD below the one we sync to is a lie about the announced
 * TD; the same TD with another block, a conflicting tip. A heavier one replaces the target
 * (QuarkChain: "a changed remote tip updates target"). Returns whether the target moved.
 */
export function observeRemoteTip(ctx: SyncContext, rootTip: RootHeader): boolean {
  if (equalBytes(rootHeaderHash(rootTip), rootHeaderHash(ctx.tip))) return false;
  if (rootTip.totalDifficulty < ctx.tip.totalDifficulty) {
    throw stopFault(syncFault('P2P_TD_MISMATCH', `remote tip TD ${rootTip.totalDifficulty} is below the announced ${ctx.tip.totalDifficulty}`));
  }
  if (rootTip.totalDifficulty === ctx.tip.totalDifficulty) {
    throw stopFault(syncFault('P2P_TIP_MISMATCH', `remote tip at TD ${rootTip.totalDifficulty} is another block than the announced one`));
  }
  checkTipSeal(ctx, rootTip);
  ctx.tip = rootTip;
  return true;
}

/** GET_ROOT_HEADERS, bounded; a response with more headers than asked for is a fault. */
export async function requestHeaders(ctx: SyncContext, what: string, q: HeaderQuery): Promise<RootHeadersReply> {
  const reply = await boundedRequest(ctx.source, what, ctx.opts.requestTimeoutMs, () => ctx.source.getRootHeaders(q), stopSignal(ctx));
  if (reply.headers.length > q.limit) {
    throw stopFault(peerFault('P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE', `${what}: ${reply.headers.length} headers, ${q.limit} asked for`));
  }
  return reply;
}
