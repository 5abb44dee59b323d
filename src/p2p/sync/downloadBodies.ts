/**
 * The body download of a sync task (DESIGN §10): drives the pure BodyScheduler against the peers
 * of the task's pool while the header download (downloadHeaders.ts) feeds it checked headers, so
 * bodies of a checked section download while the next headers arrive. Each batch (root blocks
 * and the minor blocks they list: bundled with them (p2p/rootBundle.ts), the rest asked for as
 * soon as the root blocks are in) comes from one
 * peer; several batches are in flight per peer; a batch that fails or times out goes to another
 * peer; batches are applied in chain order as soon as the oldest is in, and at most
 * `headerWindow` headers are held unapplied.
 *
 * Faults: the primary's (the peer whose headers were checked) fatal fault ends the task with it,
 * as before; any other peer's fault is reported through the pool at once (a fatal one also keeps
 * that peer out of this task) and only its batch is retried. A batch no peer can deliver ends the
 * task with its last fault. Stalls: a download much slower than the others' (stallAfterMs: a
 * multiple of the observed round trip, smaller for the batch the chain-order queue waits on) marks
 * its peer stalling: every download of that peer goes to other peers at once and it gets no new
 * batch until its pending requests end (its transport charges their timeouts to its score, and
 * each handed-off download that then times out costs it P2P_STALLED too). Blocks the shards or
 * the root chain refuse end the task (P2P_BAD_BLOCK: the blocks are pinned by the checked
 * headers, so the chain itself is bad).
 */
import { internal } from '../../core/errors.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { syncFault, type PeerFault } from '../peerFault.js';
import type { Batch } from './batchState.js';
import { BodyScheduler, type SchedulerPeer } from './bodyScheduler.js';
import type { HeaderSink } from './downloadHeaders.js';
import { addDownloaded, fetchBatch, type DownloadedRoot } from './importRootBlock.js';
import type { BodyPeer, SyncContext } from './syncContext.js';
import { isDeferral, stopAborted, stopFault, SyncStop } from './syncOutcome.js';

type RootBatch = Batch<RootHeader, DownloadedRoot[]>;

/**
 * A batch download is one or two round trips (its root blocks with the minor blocks the peer
 * bundles, then the minor blocks still missing, if any); one
 * whose current round trip takes longer than this many times the mean is handed to another peer
 * that can serve it (go-ethereum's block pool re-requests missing blocks from another peer), so a
 * stalling peer holds the chain-order queue for about this long rather than a whole request
 * timeout. A slow peer is not charged for it; one whose request then times out has stalled: its
 * transport charges the timeout, and the sync P2P_STALLED on top (peerScore.ts).
 */
export const SLOW_REQUEST_FACTOR = 2.5;
/** ...never sooner than this: a loaded peer or our own busy thread may delay an answer this much. */
export const MIN_SLOW_REQUEST_MS = 150;
/**
 * The batch the chain-order queue waits on (every later batch and the import wait for it) is
 * handed elsewhere sooner: after this many mean round trips.
 */
export const HEAD_SLOW_REQUEST_FACTOR = 2;
/** ...never sooner than this: above a round trip on a slow local link plus the serving peer's reads. */
export const MIN_HEAD_SLOW_REQUEST_MS = 100;
/** Downloads are checked for slowness this often: a fraction of MIN_HEAD_SLOW_REQUEST_MS. */
const SLOW_CHECK_MS = 25;
/** A download our own request cap refused is tried again after this long at the earliest (one request of the peer's may end meanwhile). */
const DEFER_RETRY_MS = 20;
/** Weight of the moving average of round-trip times: about the last 8. */
const MEAN_WEIGHT = 1 / 8;

const never = new Promise<void>(() => undefined);

/**
 * Runs `produce` (the header download, feeding the sink) and downloads and applies the bodies of
 * every header it adds; returns once the producer is done and every body is applied, throws the
 * task's end (a SyncStop) otherwise.
 */
export async function downloadBodies(ctx: SyncContext, produce: (sink: HeaderSink) => Promise<void>, onFirstHeaders: () => void = () => undefined): Promise<void> {
  const { opts, pool } = ctx;
  const sched = new BodyScheduler<RootHeader, DownloadedRoot[]>([], {
    batchSize: opts.bodyBatch, maxInFlightPerPeer: opts.maxInFlightPerPeer, maxAhead: opts.maxBatchesAhead, maxAttempts: opts.maxBatchAttempts,
  }, true);
  const primaryId = pool?.primaryId ?? ctx.source.id;
  /** Peers with a fatal fault in this task. */
  const excluded = new Set<string>();
  /** Faults already reported through the pool (not to be reported again with the task's end). */
  const reported = new Set<PeerFault>();
  let primaryStop: SyncStop | undefined;
  /** The header download's end, when it threw. */
  let producerStop: SyncStop | undefined;
  /** Set once the loop below returned or threw: late downloads start nothing more. */
  let ended = false;
  let wake: () => void = () => undefined;
  let wakeProducer: (() => void) | undefined;
  /** Waiters for a body download to end (a request slot freed): told whether one did. */
  let slotWaiters: Array<(freed: boolean) => void> = [];
  const slotFreed = (freed: boolean): void => {
    const waiters = slotWaiters;
    slotWaiters = [];
    for (const w of waiters) w(freed);
  };
  let firstHeaders = true;

  /** Mean round trip of a batch's requests (root blocks, then minor blocks), seeded by the first header round trip. */
  let meanMs: number | undefined;
  const room = (): number => opts.headerWindow - sched.unapplied;
  const sink: HeaderSink = {
    add: (headers, roundTripMs) => {
      // The first header round trip seeds the mean: a peer stalling on its very first bodies is found as soon as a later one.
      if (meanMs === undefined && roundTripMs !== undefined) meanMs = roundTripMs;
      if (firstHeaders) onFirstHeaders();
      firstHeaders = false;
      const fresh = headers.filter((h) => !ctx.target.hasRootBlock(rootHeaderHash(h)));
      if (fresh.length > 0) sched.add(fresh);
      if (!ended) pump();
      wake();
    },
    room: async () => {
      while (room() <= 0 && !ended) await new Promise<void>((r) => { wakeProducer = r; });
      if (ended) throw stopAborted(internal('P2P_PEER_CLOSED', 'the body download ended'));
      return room();
    },
    freed: () => {
      // A deferred batch is about to be sent again: its download's end frees a slot too.
      const pending = deferred.size > 0 || sched.batches.some((b) => b.status === 'downloading') || [...abandoned.values()].some((n) => n > 0);
      return ended || !pending ? Promise.resolve(false) : new Promise<boolean>((r) => slotWaiters.push(r));
    },
  };

  const peers = (): BodyPeer[] => {
    const all = pool ? pool.peers() : [{ id: primaryId, source: ctx.source, tipTd: ctx.tip.totalDifficulty }];
    return all.filter((p) => !excluded.has(p.id));
  };
  /** Per peer, downloads handed elsewhere (for being slow) whose requests are still pending: while any is, the peer counts as stalling. */
  const abandoned = new Map<string, number>();
  /** Peers our own request cap refused lately: asked again after DEFER_RETRY_MS. */
  const deferred = new Set<string>();
  const asScheduled = (list: BodyPeer[]): SchedulerPeer<RootHeader>[] =>
    list.map((p) => ({
      id: p.id, abandoned: abandoned.get(p.id) ?? 0, stalled: (abandoned.get(p.id) ?? 0) > 0 || deferred.has(p.id),
      canServe: (items) => items[items.length - 1]!.totalDifficulty <= p.tipTd,
    }));

  /** `live`: the batch still waits for this download (not handed to another peer meanwhile). */
  const onFailure = (b: RootBatch, peer: BodyPeer, e: unknown, live: boolean): void => {
    if (isDeferral(e)) {
      if (!live) return;
      sched.onDownloadDeferred(b);
      deferred.add(peer.id);
      setTimeout(() => {
        deferred.delete(peer.id);
        if (!ended) pump();
        wake();
      }, DEFER_RETRY_MS);
      return;
    }
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
    // Handed to another peer for being slow, then never answered: the peer stalled (its transport charged the timeout itself).
    if (!live && fault.fault === 'P2P_TIMEOUT') pool?.onFault(peer.id, syncFault('P2P_STALLED', `${fault.detail}, after its batch went to another peer`), false);
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

  const observe = (ms: number): void => {
    meanMs = meanMs === undefined ? ms : meanMs + (ms - meanMs) * MEAN_WEIGHT;
  };
  /** How long one round trip of `b`'s download may take before its peer counts as stalling: adaptive to the observed round trips. */
  const stallAfterMs = (b: RootBatch): number => {
    if (meanMs === undefined) return opts.requestTimeoutMs;
    return sched.headBatch === b
      ? Math.max(MIN_HEAD_SLOW_REQUEST_MS, HEAD_SLOW_REQUEST_FACTOR * meanMs)
      : Math.max(MIN_SLOW_REQUEST_MS, SLOW_REQUEST_FACTOR * meanMs);
  };
  const otherPeerFor = (b: RootBatch, id: string): boolean =>
    asScheduled(peers()).some((p) => p.id !== id && !p.stalled && !b.failedPeers.has(p.id) && p.canServe(b.items));

  /** Per peer, its live downloads' hand-off: called when the peer is found stalling. */
  const live = new Map<string, Set<() => void>>();
  /** Every live download of `id` goes to other peers; `id` gets none until its pending requests end. */
  const stalling = (id: string): void => {
    for (const handOff of [...(live.get(id) ?? [])]) handOff();
    if (!ended) pump();
    wake();
  };

  /** Downloads `b` from `peer`; a download found slow hands the peer's downloads to others (the late answers are dropped). */
  const launch = (b: RootBatch, peer: BodyPeer): void => {
    let isLive = true;
    let slow = false;
    /** When the current round trip (root blocks, then minor blocks) began. */
    let started = Date.now();
    const mine = live.get(peer.id) ?? new Set<() => void>();
    live.set(peer.id, mine);
    const handOff = (): void => {
      if (!isLive) return;
      isLive = false;
      slow = true;
      mine.delete(handOff);
      abandoned.set(peer.id, (abandoned.get(peer.id) ?? 0) + 1);
      sched.onDownloadDropped(b);
    };
    mine.add(handOff);
    const timer = setInterval(() => {
      if (isLive && Date.now() - started >= stallAfterMs(b) && otherPeerFor(b, peer.id)) stalling(peer.id);
    }, SLOW_CHECK_MS);
    let minorRequests = false;
    /** The root blocks are in: a handed-off download stops there (its batch went elsewhere). */
    const onRootBodies = (more: boolean): boolean => {
      if (isLive) observe(Date.now() - started);
      started = Date.now();
      minorRequests = more;
      return isLive;
    };
    void fetchBatch({ ...ctx, source: peer.source }, b.items, onRootBodies).then(
      (r) => {
        if (!isLive) return;
        isLive = false;
        if (minorRequests) observe(Date.now() - started);
        sched.onDownloaded(b, r);
      },
      (e: unknown) => {
        const was = isLive;
        isLive = false;
        onFailure(b, peer, e, was);
      },
    ).finally(() => {
      clearInterval(timer);
      mine.delete(handOff);
      if (slow) abandoned.set(peer.id, abandoned.get(peer.id)! - 1);
      slotFreed(true); // a header request refused for want of a slot goes first
      if (!ended) pump(); // the freed slot is used at once, not only once the batch being applied is done
      wake();
    });
  };

  const pump = (): void => {
    const carried = pool?.carried;
    if (carried && carried.size > 0) sched.carry((items) => { const r = carried.take(items); if (r) ctx.stats.carriedBodies += r.length; return r; });
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
      const stop = pool?.stopped() ?? primaryStop ?? producerStop;
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
        wakeProducer?.();
        continue;
      }
      if (sched.done) return;
      const failed = sched.failed() ?? sched.stuck(asScheduled(peers()));
      if (failed) throw endOf(failed);
      await Promise.race([new Promise<void>((r) => { wake = r; }), pool?.whenStopped ?? never]);
    }
  };

  const producing = produce(sink).then(
    () => sched.finish(),
    (e: unknown) => { producerStop = e instanceof SyncStop ? e : stopAborted(e); },
  ).finally(() => wake());
  try {
    await applyInOrder();
  } finally {
    ended = true;
    // Downloaded and not applied (a retarget, the peer gone): the next task takes them instead of fetching them again.
    pool?.carried?.keep(sched.batches.flatMap((b) => (b.status === 'awaitingProcessing' ? b.result! : [])));
    wakeProducer?.();
    slotFreed(false);
  }
  await producing;
}
