/**
 * One body batch of a sync, as an explicit state machine (DESIGN §14; Lodestar's range sync
 * batch states):
 *
 *   awaitingDownload ──start──▶ downloading ──downloaded──▶ awaitingProcessing ──process──▶ processing ──processed──▶ done
 *          ▲                        │                                                          │
 *          └──── downloadFailed ────┤ (attempts < max)                                         └── processFailed ──▶ failed
 *          └──── downloadDropped ───┤ (peer gone or stalled: no attempt counted)
 *          └──── downloadDeferred ──┤ (our own request cap: no attempt, the peer may retry)
 *                                   └── downloadFailed (attempts = max) ──▶ failed
 *
 * A download our own transport refused (its cap on requests in flight: nobody's fault) goes back
 * with `downloadDeferred`: no attempt counted, and the peer may be asked again.
 * A failed download remembers its peer so that the retry goes to another one, and counts
 * towards `maxAttempts`. Any other move is our own bug and throws `internal` INTERNAL. Pure data;
 * the scheduler (bodyScheduler.ts) decides which move to make.
 */
import { internal } from '../../core/errors.js';
import type { PeerFault } from '../peerFault.js';

export type BatchStatus = 'awaitingDownload' | 'downloading' | 'awaitingProcessing' | 'processing' | 'done' | 'failed';

export interface Batch<Item, Result> {
  /** Its place in chain order (0 = oldest). */
  readonly index: number;
  readonly items: readonly Item[];
  status: BatchStatus;
  /** Failed downloads so far. */
  attempts: number;
  /** The peer downloading it, or that downloaded it (blamed if its blocks fail). */
  peer: string | undefined;
  /** Peers that failed this batch: not asked for it again. */
  readonly failedPeers: Set<string>;
  /** The last download fault (what the sync ends with if the batch fails). */
  lastFault: PeerFault | undefined;
  result: Result | undefined;
}

export function newBatch<Item, Result>(index: number, items: readonly Item[]): Batch<Item, Result> {
  return { index, items, status: 'awaitingDownload', attempts: 0, peer: undefined, failedPeers: new Set(), lastFault: undefined, result: undefined };
}

function expect(b: Batch<unknown, unknown>, from: BatchStatus, move: string): void {
  if (b.status !== from) throw internal('INTERNAL', `batch ${b.index}: ${move} from ${b.status} (needs ${from})`);
}

export function startDownload<I, R>(b: Batch<I, R>, peer: string): void {
  expect(b, 'awaitingDownload', 'start');
  b.status = 'downloading';
  b.peer = peer;
}

export function downloaded<I, R>(b: Batch<I, R>, result: R): void {
  expect(b, 'downloading', 'downloaded');
  b.status = 'awaitingProcessing';
  b.result = result;
}

/** Back to awaitingDownload without `peer`, or failed once `maxAttempts` downloads failed. */
export function downloadFailed<I, R>(b: Batch<I, R>, fault: PeerFault, maxAttempts: number): void {
  expect(b, 'downloading', 'downloadFailed');
  b.attempts++;
  b.lastFault = fault;
  if (b.peer !== undefined) b.failedPeers.add(b.peer);
  b.peer = undefined;
  b.status = b.attempts >= maxAttempts ? 'failed' : 'awaitingDownload';
}

/** A download that ended without anyone's fault (the peer left): retried elsewhere, no attempt counted. */
export function downloadDropped<I, R>(b: Batch<I, R>): void {
  expect(b, 'downloading', 'downloadDropped');
  if (b.peer !== undefined) b.failedPeers.add(b.peer);
  b.peer = undefined;
  b.status = 'awaitingDownload';
}

/** Our own cap on requests in flight refused it: back to awaitingDownload, no attempt counted, the peer not excluded. */
export function downloadDeferred<I, R>(b: Batch<I, R>): void {
  expect(b, 'downloading', 'downloadDeferred');
  b.peer = undefined;
  b.status = 'awaitingDownload';
}

export function startProcessing<I, R>(b: Batch<I, R>): void {
  expect(b, 'awaitingProcessing', 'process');
  b.status = 'processing';
}

export function processed<I, R>(b: Batch<I, R>): void {
  expect(b, 'processing', 'processed');
  b.status = 'done';
  b.result = undefined; // applied: its blocks are in the chain now, the memory goes
}

export function processFailed<I, R>(b: Batch<I, R>): void {
  expect(b, 'processing', 'processFailed');
  b.status = 'failed';
  b.result = undefined;
}
