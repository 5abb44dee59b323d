/**
 * The body download of one header window (DESIGN §10): drives the pure BodyScheduler against the
 * peers of the task's pool. Each batch (root blocks and the minor blocks they list) comes from one
 * peer; several batches are in flight per peer; a batch that fails or times out goes to another
 * peer; batches are applied in chain order as soon as the oldest is in.
 *
 * Faults: the primary's (the peer whose headers were checked) fatal fault ends the task with it,
 * as before; any other peer's fault is reported through the pool at once (a fatal one also keeps
 * that peer out of this task) and only its batch is retried. A batch no peer can deliver ends the
 * task with its last fault. A download much slower than the others goes to another peer as well
 * (SLOW_BATCH_FACTOR), so one stalling peer does not hold the chain-order queue for a whole
 * request timeout. Blocks the shards or the root chain refuse end the task (P2P_BAD_BLOCK:
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

/**
 * A batch download slower than this many times the mean is handed to another peer that can serve
 * it (go-ethereum's block pool re-requests missing blocks from another peer every few seconds), so
 * a stalling peer holds the chain-order queue for about this long rather than a whole request
 * timeout. The slow peer is not charged for it: its transport charges a real timeout.
 */
export const SLOW_BATCH_FACTOR = 3;
/** ...never sooner than this: a batch is two round trips plus the serving peer's reads. */
export const MIN_SLOW_BATCH_MS = 300;
/** Weight of the moving average of batch download times: about the last 8 downloads. */
const MEAN_WEIGHT = 1 / 8;

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
  /** Set once the loop below returned or threw: late downloads start nothing more. */
  let ended = false;
  let wake: () => void = () => undefined;

  const peers = (): BodyPeer[] => {
    const all = pool ? pool.peers() : [{ id: primaryId, source: ctx.source, tipTd: ctx.tip.totalDifficulty }];
    return all.filter((p) => !excluded.has(p.id));
  };
  /** Per peer, downloads handed elsewhere for being slow whose requests are still pending: a slow peer gets no more until they end. */
  const abandoned = new Map<string, number>();
  const asScheduled = (list: BodyPeer[]): SchedulerPeer<RootHeader>[] =>
    list.map((p) => ({ id: p.id, abandoned: abandoned.get(p.id) ?? 0, canServe: (items) => items[items.length - 1]!.totalDifficulty <= p.tipTd }));

  /** `live`: the batch still waits for this download (not handed to another peer meanwhile). */
  const onFailure = (b: RootBatch, peer: BodyPeer, e: unknown, live: boolean): void => {
    const o = (e instanceof SyncStop ? e : stopAborted(e)).outcome;
    if (o.kind !== 'fault') {
      if (live) sched.onDownloadDropped(b); // the peer left, or could not be asked now: no one's fault
      return;
    }
    let fault = o.fault;
    if (excluded.has(peer.id)) {
      if (live) sched.onDownloadFailed(b, fault); // more of a peer already caught: reported once
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
    if (live) sched.onDownloadFailed(b, fault);
  };

  let meanMs: number | undefined;
  const slowAfterMs = (): number => (meanMs === undefined ? opts.requestTimeoutMs : Math.max(MIN_SLOW_BATCH_MS, SLOW_BATCH_FACTOR * meanMs));
  const otherPeerFor = (b: RootBatch, id: string): boolean =>
    asScheduled(peers()).some((p) => p.id !== id && !b.failedPeers.has(p.id) && p.canServe(b.items));

  /** Downloads `b` from `peer`; a download found slow is handed to another peer (the late answer is dropped). */
  const launch = (b: RootBatch, peer: BodyPeer): void => {
    let live = true;
    let slow = false;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    // Checked every MIN_SLOW_BATCH_MS at most: the mean may be learnt (or a peer appear) meanwhile.
    const checkSlow = (): void => {
      if (!live) return;
      const left = slowAfterMs() - (Date.now() - started);
      if (left > 0 || !otherPeerFor(b, peer.id)) {
        timer = setTimeout(checkSlow, Math.max(left, MIN_SLOW_BATCH_MS));
        return;
      }
      live = false;
      slow = true;
      abandoned.set(peer.id, (abandoned.get(peer.id) ?? 0) + 1);
      sched.onDownloadDropped(b);
      wake();
    };
    timer = setTimeout(checkSlow, MIN_SLOW_BATCH_MS);
    void fetchBatch({ ...ctx, source: peer.source }, b.items).then(
      (r) => {
        if (!live) return;
        live = false;
        const ms = Date.now() - started;
        meanMs = meanMs === undefined ? ms : meanMs + (ms - meanMs) * MEAN_WEIGHT;
        sched.onDownloaded(b, r);
      },
      (e: unknown) => {
        const was = live;
        live = false;
        onFailure(b, peer, e, was);
      },
    ).finally(() => {
      clearTimeout(timer);
      if (slow) abandoned.set(peer.id, abandoned.get(peer.id)! - 1);
      if (!ended) pump(); // the freed slot is used at once, not only once the batch being applied is done
      wake();
    });
  };

  const pump = (): void => {
    const list = peers();
    const byId = new Map(list.map((p) => [p.id, p]));
    for (const b of sched.assign(asScheduled(list))) launch(b, byId.get(b.peer!)!);
  };

  const endOf = (b: RootBatch): SyncStop => b.lastFault
    ? stopFault(b.lastFault, reported.has(b.lastFault))
    : stopAborted(internal('P2P_PEER_CLOSED', `no peer left to serve root blocks from height ${b.items[0]!.height}`));

  /** Applies batches in chain order as they come in; returns when all are applied, throws the task's end. */
  const applyInOrder = async (): Promise<void> => {
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
  };

  try {
    await applyInOrder();
  } finally {
    ended = true;
  }
}
