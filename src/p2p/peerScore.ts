/**
 * Peer scores (DESIGN §10 "Misbehaviour"; reference/sync.md §2): every non-fatal fault costs a
 * peer points, the score climbs back over time, and a peer whose score falls to the threshold is
 * disconnected and banned for SCORE_BAN_MS. Fatal faults do not pass through here: they ban at
 * once (network.ts). Pure: the clock is a parameter, so tests need no timers.
 *
 * The numbers are chosen so that one honest slip is forgiven, a peer that keeps slipping is
 * dropped within one request round, and the recovery forgets a slip within a minute or two.
 */
import type { InvalidCode } from '../core/errors.js';
import type { PeerFault } from './peerFault.js';

/** A new (or fully recovered) peer's score. */
export const SCORE_MAX = 100;
/** At or below this the peer is dropped and banned. */
export const SCORE_BAN_THRESHOLD = 0;
/**
 * Points regained per second: a timeout (30) is forgiven within one 30 s request timeout, so a
 * peer that times out at most once per timeout period is never dropped; a full drop takes ~100 s to
 * heal. A body download that stalled (P2P_STALLED: handed to another peer, then timed out) costs 55
 * in all and is not forgiven so: a peer that stalls one every request timeout is dropped after ~4.
 */
export const SCORE_RECOVERY_PER_SEC = 1;
/**
 * How long a peer dropped by its score is refused: shorter than a fatal fault's BAN_MS (300 s),
 * since each of its faults could have been an accident (a slow link, a late relay).
 */
export const SCORE_BAN_MS = 60_000;
/** What a non-fatal fault not listed below costs. */
export const DEFAULT_PENALTY = 10;

/**
 * The cost of each non-fatal fault. A timeout costs 30: four close together drop a peer (4 × 30
 * outweighs the threshold even with the few points regained between them), three are survived, and
 * a peer that times out once in a while recovers. A stalling peer often has fewer than the 4 body
 * downloads sync allows per peer (MAX_IN_FLIGHT_PER_PEER) in flight when it stops answering (they
 * are handed elsewhere within ~150 ms): P2P_STALLED is what drops it.
 */
export const FAULT_PENALTIES: Readonly<Partial<Record<InvalidCode, number>>> = {
  /** No answer in time: the peer is slow, overloaded or gone. */
  P2P_TIMEOUT: 30,
  /** The answer came after its timeout, which was already charged. */
  P2P_LATE_RESPONSE: 2,
  /** A response to nothing we asked. */
  P2P_UNREQUESTED: 10,
  /** A short or empty answer to a body request the peer should have been able to serve (a useless answer). */
  P2P_SHORT_RESPONSE: 20,
  /** A relayed block whose body fails: the sender may have relayed in good faith; three in a row drop it. */
  P2P_BAD_BLOCK: 34,
  /**
   * A request past the peer's budget (peerBudget.ts), left unanswered: twenty drop the peer, so a
   * flood ends within a fraction of a second of its budget running out, while a peer that grazes
   * its budget now and then (5 points, won back in 5 s) is never dropped.
   */
  P2P_OVER_BUDGET: 5,
  /** A transfer the pool refused for a reason an honest relayer would not meet. */
  P2P_BAD_TX: 5,
  /**
   * A body download the sync handed to another peer for being slow (downloadBodies.ts), then timed
   * out: the peer held the chain-order queue. Charged once per download, on top of its timeout (30):
   * two close together (the downloads a staller holds time out together) drop the peer (110, less
   * the few points regained between them), whatever else it had in flight; two a request timeout
   * apart (30 s) leave it at 20, a third drops it; one is survived. A peer merely slow (its late
   * answer comes) pays nothing. Not charged when the task ends first by a retarget or its peer
   * leaving (those end the download's wait; the transport still charges the timeout).
   */
  P2P_STALLED: 25,
  /** A fork deeper than we follow: not a lie, but the peer is useless to us. */
  P2P_NO_COMMON_ANCESTOR: 50,
};

export const penaltyOf = (fault: PeerFault): number => FAULT_PENALTIES[fault.fault] ?? DEFAULT_PENALTY;

interface Entry {
  score: number;
  /** When `score` was last brought up to date (ms). */
  at: number;
}

/** What charging a fault leads to. */
export interface Charge {
  readonly score: number;
  /** The score reached the threshold: drop and ban the peer. */
  readonly drop: boolean;
}

/** Scores by peer key (its node id in hex). */
export class PeerScores {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The peer's score now (SCORE_MAX for one never charged). */
  score(key: string): number {
    const e = this.entries.get(key);
    if (!e) return SCORE_MAX;
    this.recover(key, e);
    return e.score;
  }

  /** Charges a non-fatal fault; `drop` says the peer went to or below the threshold. */
  charge(key: string, fault: PeerFault): Charge {
    const e = this.entries.get(key) ?? { score: SCORE_MAX, at: this.now() };
    this.recover(key, e);
    e.score -= penaltyOf(fault);
    this.entries.set(key, e);
    return { score: e.score, drop: e.score <= SCORE_BAN_THRESHOLD };
  }

  /** Forgets a peer (it left; a ban covers its return when it was dropped). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  private recover(key: string, e: Entry): void {
    const t = this.now();
    e.score = Math.min(SCORE_MAX, e.score + ((t - e.at) / 1000) * SCORE_RECOVERY_PER_SEC);
    e.at = t;
    if (e.score >= SCORE_MAX) this.entries.delete(key);
  }
}
