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
 */
import type { PeerFault } from '../peerFault.js';
import {
  downloaded, downloadDropped, downloadFailed, newBatch, processed, processFailed, startDownload, startProcessing, type Batch,
} from './batchState.js';

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
  /** Whether the peer is expected to have the batch's blocks (its tip is heavy enough). */
  canServe(items: readonly Item[]): boolean;
}

export class BodyScheduler<Item, Result> {
  readonly batches: Batch<Item, Result>[] = [];
  /** Index of the oldest batch not done. */
  private head = 0;

  constructor(items: readonly Item[], private readonly o: SchedulerOptions) {
    for (let i = 0; i * o.batchSize < items.length; i++) this.batches.push(newBatch(i, items.slice(i * o.batchSize, (i + 1) * o.batchSize)));
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
        if (n >= this.o.maxInFlightPerPeer || b.failedPeers.has(p.id) || !p.canServe(b.items)) continue;
        if (!best || n < load.get(best.id)!) best = p;
      }
      if (!best) continue;
      startDownload(b, best.id);
      load.set(best.id, load.get(best.id)! + 1);
      started.push(b);
    }
    return started;
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

  get done(): boolean {
    return this.head >= this.batches.length;
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
