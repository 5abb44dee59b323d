/**
 * When a sealing candidate is rebuilt, where a nonce search starts, and how long `simulate`
 * waits (DESIGN §1): one set of rules for the root sealing loop, the shard sealing loop and the
 * external miner. Pure functions of their inputs (clock readings and random numbers passed in).
 */

/**
 * A candidate is rebuilt at least this often: its `createTime` follows the clock and with it
 * the difficulty, so a candidate frozen at `parent + 1 s` would only ever raise difficulty.
 */
export const CANDIDATE_MAX_AGE_MS = 1000;

/** What a candidate was built from: when, at which work generation, on which tip. */
export interface CandidateStamp {
  readonly madeAtMs: number;
  /** A counter that moves when the candidate's inputs change (new root block, new committed headers). */
  readonly gen: number;
  /** The tip (parent) the candidate was built on, in map-key form. */
  readonly tipKey: string;
}

/** Why a candidate must be rebuilt, or null when it is still good. */
export type StaleReason = 'none' | 'generation' | 'age' | 'tip';

/** Why `c` must be rebuilt now (`'none'` when no candidate exists yet), or null when it can be sealed on. */
export function staleReason(c: CandidateStamp | null, nowMs: number, gen: number, tipKey: string): StaleReason | null {
  if (!c) return 'none';
  if (c.gen !== gen) return 'generation';
  if (nowMs - c.madeAtMs >= CANDIDATE_MAX_AGE_MS) return 'age';
  if (c.tipKey !== tipKey) return 'tip';
  return null;
}

/** True when `c` is missing, built at another generation, older than CANDIDATE_MAX_AGE_MS, or off the tip. */
export function isStale(c: CandidateStamp | null, nowMs: number, gen: number, tipKey: string): boolean {
  return staleReason(c, nowMs, gen, tipKey) !== null;
}

/**
 * How long to wait before building a candidate on a tip whose timestamp is `tipCreateTimeSec`:
 * timestamps are whole seconds and strictly increasing, so a candidate may run at most one second
 * ahead of the clock. 0 when the tip is not ahead; never more than CANDIDATE_MAX_AGE_MS.
 */
export function tipAheadWaitMs(tipCreateTimeSec: number, nowMs: number): number {
  return Math.max(0, Math.min(tipCreateTimeSec * 1000 - nowMs, CANDIDATE_MAX_AGE_MS));
}

/** A uniform random number in [0, 1), as Math.random; tests pass a fixed one. */
export type Rand = () => number;

const U32 = 2 ** 32;

/**
 * A random 64-bit start nonce: threads, lanes and nodes that start apart never search the same
 * nonces in practice (64 random bits, and a search covers far fewer nonces than 2^32 per candidate).
 */
export function randomStartNonce(rand: Rand = Math.random): bigint {
  return (BigInt(Math.floor(rand() * U32)) << 32n) | BigInt(Math.floor(rand() * U32));
}

/**
 * `simulate`'s block time: exponentially distributed with mean `targetSec` (a Poisson process,
 * like real mining at a steady hash rate), in ms. `rand` is uniform in [0, 1).
 */
export function simulatedDelayMs(targetSec: number, rand: Rand = Math.random): number {
  return Math.log(1 / (1 - rand())) * targetSec * 1000;
}
