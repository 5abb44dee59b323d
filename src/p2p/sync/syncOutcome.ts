/**
 * How a sync task ends, as plain data, and the stop signal that carries it out of the task.
 *   synced    the target block was reached and added
 *   skipped   nothing to do: the target is known, or not heavier than our tip
 *   fault     the peer misbehaved: penalise it (unless `reported`: its transport already did)
 *   retarget  the peer's chain moved under us without fault: sync again to `tip`
 *   aborted   stopped without anyone's fault (peer gone, our failure, cannot decide yet)
 * Whatever was added before the end stays added (DESIGN §10: validated work is kept).
 */
import { ChainError } from '../../core/errors.js';
import type { RootHeader } from '../../core/rootBlock.js';
import type { PeerFault } from '../peerFault.js';

export type SyncOutcome =
  | { readonly kind: 'synced' }
  | { readonly kind: 'skipped'; readonly reason: 'known' | 'notHeavier' }
  | { readonly kind: 'fault'; readonly fault: PeerFault; readonly reported: boolean }
  | { readonly kind: 'retarget'; readonly tip: RootHeader }
  | { readonly kind: 'aborted'; readonly error: ChainError };

/** Counters of one task (the reference tests assert on downloads and lookups). */
export interface SyncStats {
  /** GET_ROOT_HEADERS requests of the common-ancestor search. */
  lookups: number;
  /** GET_ROOT_HEADERS requests of the forward download. */
  headerRequests: number;
  /** Headers accepted by the forward download (the target counts when taken from the announcement). */
  headers: number;
  bodyRequests: number;
  /** Root blocks downloaded. */
  bodies: number;
  minorRequests: number;
  /** Minor blocks downloaded, bundled ones included. */
  minorBlocks: number;
  /** Of those, the ones that came bundled with their root blocks. */
  bundledBlocks: number;
  /** Root blocks (with their shard blocks) taken from what an earlier task downloaded and did not apply: not fetched again. */
  carriedBodies: number;
  /** Downloaded headers an earlier task had checked (checkedHeaders.ts): linked, not put through the header rules again. */
  headersKnown: number;
  /** Root blocks handed to addRootBlock without error. */
  rootBlocksAdded: number;
}

export const emptyStats = (): SyncStats => ({
  lookups: 0, headerRequests: 0, headers: 0, bodyRequests: 0, bodies: 0, minorRequests: 0, minorBlocks: 0, bundledBlocks: 0, carriedBodies: 0, headersKnown: 0, rootBlocksAdded: 0,
});

export interface SyncResult {
  readonly outcome: SyncOutcome;
  readonly stats: SyncStats;
}

/** Thrown inside a task to end it with `outcome`; caught by the task runner only. */
export class SyncStop extends Error {
  constructor(readonly outcome: Exclude<SyncOutcome, { kind: 'synced' } | { kind: 'skipped' }>) {
    super(`sync stopped: ${outcome.kind}`);
    this.name = 'SyncStop';
  }
}

export const stopFault = (fault: PeerFault, reported = false): SyncStop => new SyncStop({ kind: 'fault', fault, reported });
export const stopAborted = (e: unknown): SyncStop => new SyncStop({ kind: 'aborted', error: ChainError.from(e) });

/** Whether a request ended because our own transport refused it (`notYet`: its cap on requests in flight): retry once a slot frees. */
export const isDeferral = (e: unknown): boolean => e instanceof SyncStop && e.outcome.kind === 'aborted' && e.outcome.error.cls === 'notYet';
