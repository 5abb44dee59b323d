/**
 * The body download of one header window (DESIGN §10): drives the pure BodyScheduler against the
 * peers of the task's pool. Each batch (root blocks and the minor blocks they list) comes from one
 * peer; several batches are in flight per peer; a batch that fails or times out goes to another
 * peer; batches are applied in chain order as soon as the oldest is in.
 *
 * Faults: the primary's (the peer whose headers were checked) fatal fault ends the task with it,
 * as before; any other peer's fault is reported through the pool at once (a fatal one also keeps
 * that peer out of this task) and only its batch is retried. A batch no peer can deliver ends the
 * task with its last fault. Blocks the shards or the root chain refuse end the task (P2P_BAD_BLOCK:
 * the blocks are pinned by the checked headers, so the chain itself is bad).
 */
import { internal } from '../../core/errors.js';
import type { RootHeader } from '../../core/rootBlock.js';
import type { PeerFault } from '../peerFault.js';
import type { Batch } from './batchState.js';
import { BodyScheduler, type SchedulerPeer } from './bodyScheduler.js';
import { addDownloaded, fetchBatch, type DownloadedRoot } from './importRootBlock.js';
import type { BodyPeer, SyncContext } from './syncContext.js';
import { stopAborted, stopFault, SyncStop } from './syncOutcome.js';

type RootBatch = Batch<RootHeader, DownloadedRoot[]>;

const never = new Promise<void>(() => undefined);

export async function downloadBodies(ctx: SyncContext, headers: readonly RootHeader[]): Promise<void> {
  const { opts, pool } = ctx;
  const sched = new BodyScheduler<RootHeader, DownloadedRoot[]>(headers, {
    batchSize: opts.bodyBatch, maxInFlightPerPeer: opts.maxInFlightPerPeer, maxAhead: opts.maxBatchesAhead, maxAttempts: opts.maxBatchAttempts,
  });
  const primaryId = pool?.primaryId ?? ctx.source.id;
  /** Peers with a fatal fault in this task. */
  const excluded = new Set<string>();
  /** Faults already reported through the pool (not to be reported again with the task's end). */
  const reported = new Set<PeerFault>();
  let primaryStop: SyncStop | undefined;
  let wake: () => void = () => undefined;

  const peers = (): BodyPeer[] => {
    const all = pool ? pool.peers() : [{ id: primaryId, source: ctx.source, tipTd: ctx.tip.totalDifficulty }];
    return all.filter((p) => !excluded.has(p.id));
  };
  const asScheduled = (list: BodyPeer[]): SchedulerPeer<RootHeader>[] =>
    list.map((p) => ({ id: p.id, canServe: (items) => items[items.length - 1]!.totalDifficulty <= p.tipTd }));

  const onFailure = (b: RootBatch, peer: BodyPeer, e: unknown): void => {
    const o = (e instanceof SyncStop ? e : stopAborted(e)).outcome;
    if (o.kind !== 'fault') {
      sched.onDownloadDropped(b); // the peer left, or could not be asked now: no one's fault
      return;
    }
    let fault = o.fault;
    if (excluded.has(peer.id)) {
      sched.onDownloadFailed(b, fault); // more of a peer already caught: reported once
      return;
    }
    const primary = peer.id === primaryId;
    // A helper may simply not have a block (its tip is on another branch): a useless answer, not a lie.
    if (!primary && fault.fault === 'P2P_SHORT_RESPONSE') fault = { ...fault, fatal: false };
    if (fault.fatal) excluded.add(peer.id);
    if (primary && fault.fatal) primaryStop ??= stopFault(fault, o.reported);
    else if (pool) {
      if (!o.reported) pool.onFault(peer.id, fault, o.reported);
      reported.add(fault);
    } else if (o.reported) reported.add(fault);
    sched.onDownloadFailed(b, fault);
  };

  const pump = (): void => {
    const list = peers();
    const byId = new Map(list.map((p) => [p.id, p]));
    for (const b of sched.assign(asScheduled(list))) {
      const peer = byId.get(b.peer!)!;
      void fetchBatch({ ...ctx, source: peer.source }, b.items).then(
        (r) => sched.onDownloaded(b, r),
        (e: unknown) => onFailure(b, peer, e),
      ).finally(() => wake());
    }
  };

  const endOf = (b: RootBatch): SyncStop => b.lastFault
    ? stopFault(b.lastFault, reported.has(b.lastFault))
    : stopAborted(internal('P2P_PEER_CLOSED', `no peer left to serve root blocks from height ${b.items[0]!.height}`));

  for (;;) {
    const stop = pool?.stopped() ?? primaryStop;
    if (stop) throw stop;
    pump();
    const next = sched.takeNext();
    if (next) {
      try {
        for (const d of next.result!) await addDownloaded(ctx, d);
      } catch (e) {
        sched.onProcessFailed(next);
        throw e;
      }
      sched.onProcessed(next);
      continue;
    }
    if (sched.done) return;
    const failed = sched.failed() ?? sched.stuck(asScheduled(peers()));
    if (failed) throw endOf(failed);
    await Promise.race([new Promise<void>((r) => { wake = r; }), pool?.whenStopped ?? never]);
  }
}
