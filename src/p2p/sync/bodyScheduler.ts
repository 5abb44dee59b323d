/**
 * The body-download scheduler of root sync (DESIGN §10; go-ethereum's block pool, Lodestar's range
 * sync): pure bookkeeping, no I/O, no timers. The checked headers of a window are cut into batches
 * (batchState.ts); the scheduler says which batch each peer should download next and which batch
 * is next to apply, and the driver (downloadBodies.ts) does the requests and the adding.
 *
 * - Every peer that can serve gets work, up to `maxInFlightPerPeer` batches at once, the least
 *   busy first.
 * - A failed download goes back to the queue and is not given to the peer that failed it again.
 * - Batches are applied strictly in chain order: only the oldest batch not done may be processed.
 * - Memory is bounded: no batch more than `maxAhead` past the oldest unfinished one is started.
 * - Items may arrive in pieces (`add`, then `finish`): bodies of checked headers are downloaded
 *   while the next headers are still on their way (go-ethereum's skeleton sync, Lodestar).
 * - A peer found stalling gets no new batch until it answers again.
 * - Bodies a previous task downloaded and did not apply are taken first (`carry`), without a request.
 */
import { internal } from '../../core/errors.js';
import type { PeerFault } from '../peerFault.js';
import {
  downloaded, downloadDeferred, downloadDropped, downloadFailed, newBatch, processed, processFailed, startDownload, startProcessing, type Batch,
} from './batchState.js';

/** The pseudo-peer of a batch whose bodies a previous task had downloaded (carriedBodies.ts): no request, no peer's slot. */
export const CARRIED = '(carried)';

export interface SchedulerOptions {
  readonly batchSize: number;
  readonly maxInFlightPerPeer: number;
  /** Batches past the oldest unfinished one that may be downloading or downloaded. */
  readonly maxAhead: number;
  /** Failed downloads of one batch before the sync gives up on it. */
  readonly maxAttempts: number;
}

/** A peer as the scheduler sees it. */
export interface SchedulerPeer<Item> {
  readonly id: string;
  /** Requests of its still pending that no batch waits for any more (a slow download handed elsewhere): they count as in flight. */
  readonly abandoned?: number;
  /** Found stalling (a download of its handed elsewhere, no answer since): given no new batch, but it may still answer. */
  readonly stalled?: boolean;
  /** Whether the peer is expected to have the batch's blocks (its tip is heavy enough). */
  canServe(items: readonly Item[]): boolean;
}

export class BodyScheduler<Item, Result> {
  readonly batches: Batch<Item, Result>[] = [];
  /** Index of the oldest batch not done. */
  private head = 0;

  /** More items may come (`add`) until `finish`. */
  private open: boolean;

  /** `items` cut into batches; with `more`, further items are expected (`add`, then `finish`). */
  constructor(items: readonly Item[], private readonly o: SchedulerOptions, more = false) {
    this.open = true;
    this.add(items);
    this.open = more;
  }

  /** Appends `items` (after every item so far, in chain order) as new batches; the last may be short. */
  add(items: readonly Item[]): void {
    if (!this.open) throw internal('INTERNAL', 'scheduler: items added after finish');
    for (let i = 0; i < items.length; i += this.o.batchSize) this.batches.push(newBatch(this.batches.length, items.slice(i, i + this.o.batchSize)));
  }

  /** No more items: once every batch is applied the scheduler is done. */
  finish(): void {
    this.open = false;
  }

  /** Items added but not yet applied (what is held or still to fetch): the caller bounds it. */
  get unapplied(): number {
    let n = 0;
    for (let i = this.head; i < this.batches.length; i++) n += this.batches[i]!.items.length;
    return n;
  }

  /** The oldest batch not applied yet: the one the chain-order queue waits for. */
  get headBatch(): Batch<Item, Result> | undefined {
    return this.batches[this.head];
  }

  /** Batches the peer is downloading now. */
  inFlight(peer: string): number {
    return this.batches.filter((b) => b.status === 'downloading' && b.peer === peer).length;
  }

  /**
   * The downloads to start now, each batch to one peer, and marks them downloading: within the
   * window ahead, oldest batch first, to the least busy peer that can serve it and has not failed it.
   */
  assign(peers: readonly SchedulerPeer<Item>[]): Array<Batch<Item, Result>> {
    const load = new Map(peers.map((p) => [p.id, this.inFlight(p.id) + (p.abandoned ?? 0)]));
    const started: Array<Batch<Item, Result>> = [];
    const end = Math.min(this.batches.length, this.head + this.o.maxAhead);
    for (let i = this.head; i < end; i++) {
      const b = this.batches[i]!;
      if (b.status !== 'awaitingDownload') continue;
      let best: SchedulerPeer<Item> | undefined;
      for (const p of peers) {
        const n = load.get(p.id)!;
        if (n >= this.o.maxInFlightPerPeer || p.stalled || b.failedPeers.has(p.id) || !p.canServe(b.items)) continue;
        if (!best || n < load.get(best.id)!) best = p;
      }
      if (!best) continue;
      startDownload(b, best.id);
      load.set(best.id, load.get(best.id)! + 1);
      started.push(b);
    }
    return started;
  }

  /**
   * Batches within the window ahead whose result `lookup` has already (bodies a previous task downloaded), marked
   * downloaded from the pseudo-peer CARRIED without a request; returns how many.
   */
  carry(lookup: (items: readonly Item[]) => Result | undefined): number {
    let n = 0;
    const end = Math.min(this.batches.length, this.head + this.o.maxAhead);
    for (let i = this.head; i < end; i++) {
      const b = this.batches[i]!;
      const r = b.status === 'awaitingDownload' ? lookup(b.items) : undefined;
      if (r === undefined) continue;
      startDownload(b, CARRIED);
      downloaded(b, r);
      n++;
    }
    return n;
  }

  onDownloaded(b: Batch<Item, Result>, result: Result): void {
    downloaded(b, result);
  }

  onDownloadFailed(b: Batch<Item, Result>, fault: PeerFault): void {
    downloadFailed(b, fault, this.o.maxAttempts);
  }

  /** The peer went away or could not be asked: no attempt counted. */
  onDownloadDropped(b: Batch<Item, Result>): void {
    downloadDropped(b);
  }

  /** Our transport refused the request (its cap on requests in flight): retried later, the same peer allowed. */
  onDownloadDeferred(b: Batch<Item, Result>): void {
    downloadDeferred(b);
  }

  /** The oldest unfinished batch, marked processing, when its download is in; else undefined. */
  takeNext(): Batch<Item, Result> | undefined {
    const b = this.batches[this.head];
    if (b?.status !== 'awaitingProcessing') return undefined;
    startProcessing(b);
    return b;
  }

  onProcessed(b: Batch<Item, Result>): void {
    processed(b);
    if (b.index === this.head) this.head++;
  }

  onProcessFailed(b: Batch<Item, Result>): void {
    processFailed(b);
  }

  /** Every batch applied and no more items to come. */
  get done(): boolean {
    return !this.open && this.head >= this.batches.length;
  }

  /** A batch that failed for good (its download attempts ran out, or its blocks were refused). */
  failed(): Batch<Item, Result> | undefined {
    return this.batches.find((b) => b.status === 'failed');
  }

  /**
   * A batch nobody left can download: waiting, and every given peer has failed it or cannot serve
   * it, with nothing in flight that could change that. The sync cannot go on.
   */
  stuck(peers: readonly SchedulerPeer<Item>[]): Batch<Item, Result> | undefined {
    if (this.batches.some((b) => b.status === 'downloading' || b.status === 'processing')) return undefined;
    const end = Math.min(this.batches.length, this.head + this.o.maxAhead);
    for (let i = this.head; i < end; i++) {
      const b = this.batches[i]!;
      if (b.status === 'awaitingDownload' && !peers.some((p) => !b.failedPeers.has(p.id) && p.canServe(b.items))) return b;
    }
    return undefined;
  }
}
