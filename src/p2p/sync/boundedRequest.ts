/**
 * One request to a sync source, bounded in time, with its failure turned into a SyncStop:
 * an `invalid` rejection is the peer's fault (its code kept), a `notYet` or `internal` one
 * aborts without blame, and no answer within `timeoutMs` is P2P_TIMEOUT. The timeout is a
 * safety net for sources without their own (a Peer times out first: see DEFAULT_SYNC_TIMEOUT_MS).
 */
import { ChainError, invalidCode } from '../../core/errors.js';
import { REQUEST_TIMEOUT_MS } from '../requestTracker.js';
import { peerFault } from '../peerFault.js';
import { stopAborted, stopFault, SyncStop } from './syncOutcome.js';
import type { SyncSource } from './syncSource.js';

/** Past the Peer's own request timeout, so a real peer's timeout is reported by its transport first. */
export const DEFAULT_SYNC_TIMEOUT_MS = REQUEST_TIMEOUT_MS + 5_000;

/** A source's rejection as a SyncStop. */
export function sourceStop(e: unknown, source: SyncSource): SyncStop {
  if (e instanceof SyncStop) return e;
  const err = ChainError.from(e);
  const code = invalidCode(err);
  if (code === undefined) return stopAborted(err);
  const timeout = code === 'P2P_TIMEOUT' || code === 'P2P_LATE_RESPONSE';
  const fault = timeout ? peerFault(code, false, 'TIMEOUT', err.message) : peerFault(code, true, 'BAD_RESPONSE', err.message);
  return stopFault(fault, source.reportsTransportFaults);
}

/**
 * Runs `call` against `source`; resolves with its answer or throws a SyncStop. `stop`, when given,
 * ends the wait early with the task's own stop (its peer left, a heavier peer appeared).
 */
export async function boundedRequest<T>(source: SyncSource, what: string, timeoutMs: number, call: () => Promise<T>, stop?: Promise<never>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(stopFault(peerFault('P2P_TIMEOUT', false, 'TIMEOUT', `${source.id}: ${what} unanswered after ${timeoutMs} ms`))),
      timeoutMs,
    );
  });
  try {
    return await Promise.race(stop ? [call(), deadline, stop] : [call(), deadline]);
  } catch (e) {
    throw sourceStop(e, source);
  } finally {
    clearTimeout(timer);
  }
}
