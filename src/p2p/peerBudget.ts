/**
 * What one connected peer may ask of us (issue 14 item 3): two token buckets, requests per second
 * and bytes served per second. A request arrives: it takes a request token (PING included: its
 * 5-byte PONG is paid for by that token), and a data request also needs bytes left; its response is
 * sent only if its whole frame fits in the byte bucket. Past either budget the request is refused, and the refusal is a non-fatal
 * P2P_OVER_BUDGET fault (peerScore.ts): enough of them drop and ban the peer.
 *
 * How a refusal looks on the wire: the request is not answered. The message set has no refusal
 * message, and an empty answer would read as "I have none of it", which a syncing peer treats as a
 * short (fatal) response; an unanswered request is what an overloaded peer gives too, and the
 * requester's own timeout covers it. Pure: the clock is a parameter.
 */
import { hostOf, isLoopback } from '../core/netAddress.js';
import type { RequestType } from './messageTypes.js';
import { OK, peerFault, type PeerDecision } from './peerFault.js';
import { TokenBucket } from './tokenBucket.js';

const MIB = 1024 * 1024;

/**
 * Requests a second, PINGs included. Honest sync asks far less: bench/sync.js measured at most
 * 40 a second per peer (3 peers, 50 ms latency) and ~60 from a single peer with none; a batch of
 * 8 root blocks on 64 shards is 65 requests. 200 leaves that over 3× headroom.
 */
export const REQUESTS_PER_SEC = 200;
/** Requests at once: two seconds at the rate (a sync's opening round fits), well under a burst of 1,000 PINGs. */
export const REQUEST_BURST = 400;
/**
 * Response bytes a second. A response is sent only if it fits whole, so a peer is never sent
 * more than BURST + RATE × t: over 25 s, 24 MiB + 25 × 8 MiB = 224 MiB (234.9 MB), under the
 * 256 MB a peer may pull in 25 s whatever it asks (MAX_PULL_BYTES). Honest sync measured under
 * 0.3 MB a second per peer (bench/sync.js).
 */
export const SERVED_BYTES_PER_SEC = 8 * MIB;
/** Bytes at once: at least one frame of MAX_FRAME_BYTES (16 MiB), or the largest response could never be served. */
export const SERVED_BYTES_BURST = 24 * MIB;
/** The cap the byte budget is sized for: at most this many bytes to one peer in PULL_WINDOW_SEC. */
export const MAX_PULL_BYTES = 256_000_000;
export const PULL_WINDOW_SEC = 25;

export interface BudgetLimits {
  readonly requestsPerSec: number;
  readonly requestBurst: number;
  readonly bytesPerSec: number;
  readonly bytesBurst: number;
}

export const DEFAULT_BUDGET: BudgetLimits = {
  requestsPerSec: REQUESTS_PER_SEC, requestBurst: REQUEST_BURST, bytesPerSec: SERVED_BYTES_PER_SEC, bytesBurst: SERVED_BYTES_BURST,
};

/** The most a peer can be sent over `sec` seconds under `limits` (the burst, then the rate). */
export const maxServedBytes = (limits: BudgetLimits, sec: number): number => limits.bytesBurst + sec * limits.bytesPerSec;

export class PeerBudget {
  private readonly requests: TokenBucket;
  private readonly bytes: TokenBucket;
  /** Requests refused so far, and bytes sent (for logs and tests). */
  refused = 0;
  servedBytes = 0;

  constructor(limits: BudgetLimits, nowMs: number) {
    this.requests = new TokenBucket(limits.requestsPerSec, limits.requestBurst, nowMs);
    this.bytes = new TokenBucket(limits.bytesPerSec, limits.bytesBurst, nowMs);
  }

  /** A request of `type` arrived: may it be served? */
  admit(type: RequestType, nowMs: number): PeerDecision {
    if (!this.requests.takeAll(1, nowMs)) return this.refuse(`${type} over the request budget`);
    if (type !== 'PING' && this.bytes.available(nowMs) === 0) return this.refuse(`${type} with the byte budget spent`);
    return OK;
  }

  /** Its response of `bytes` is ready: may it be sent? (Taken whole or not at all.) */
  spend(bytes: number, nowMs: number): PeerDecision {
    if (!this.bytes.takeAll(bytes, nowMs)) return this.refuse(`a response of ${bytes} bytes over the byte budget`);
    this.servedBytes += bytes;
    return OK;
  }

  private refuse(detail: string): PeerDecision {
    this.refused++;
    return peerFault('P2P_OVER_BUDGET', false, 'BAD_REQUEST', `${detail}: not answered`);
  }
}

/** Past this many hosts, opening a connection first drops the idle entries whose hold ended. */
const SWEEP_HOSTS_ABOVE = 1_024;

/**
 * The budgets of a network's connections: one per connection from a loopback address (local nodes
 * share 127.0.0.1), one per IP otherwise, shared by every connection from it. An IP's budget
 * outlives its last connection by PULL_WINDOW_SEC, so that reconnecting (under a fresh node id)
 * does not refill it: what one IP is sent stays within the burst plus the rate over time.
 */
export class Budgets {
  private readonly byHost = new Map<string, { budget: PeerBudget; connections: number; idleSinceMs: number }>();

  constructor(private readonly limits: BudgetLimits, private readonly now: () => number) {}

  /** The budget of a new connection from `address` ("host:port"); `release` once it closes. */
  open(address: string): { readonly budget: PeerBudget; release(): void } {
    const host = hostOf(address);
    if (isLoopback(host)) return { budget: new PeerBudget(this.limits, this.now()), release: () => undefined };
    const nowMs = this.now();
    if (this.byHost.size > SWEEP_HOSTS_ABOVE) this.sweep(nowMs);
    let e = this.byHost.get(host);
    if (e !== undefined && e.connections === 0 && nowMs - e.idleSinceMs >= PULL_WINDOW_SEC * 1000) e = undefined;
    if (e === undefined) {
      e = { budget: new PeerBudget(this.limits, nowMs), connections: 0, idleSinceMs: 0 };
      this.byHost.set(host, e);
    }
    e.connections++;
    const entry = e;
    let released = false;
    return {
      budget: entry.budget,
      release: () => {
        if (released) return;
        released = true;
        if (--entry.connections === 0) entry.idleSinceMs = this.now();
      },
    };
  }

  private sweep(nowMs: number): void {
    for (const [host, e] of this.byHost) if (e.connections === 0 && nowMs - e.idleSinceMs >= PULL_WINDOW_SEC * 1000) this.byHost.delete(host);
  }
}
