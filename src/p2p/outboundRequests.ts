/**
 * Our requests to one peer (src/p2p/peer.ts): each is issued through a RequestTracker (ids,
 * outstanding cap, deadlines), waits for its matched response, and fails with a coded ChainError
 * on a timeout, a mismatch or the connection's end. One timer runs, on the earliest deadline.
 */
import { ChainError, internal, invalid, notYet } from '../core/errors.js';
import type { ResponseMessage } from './messages.js';
import { RequestTracker, type PeerDecision, type PeerFault, type RequestBody } from './peerRules.js';
import type { Message } from './messages.js';

interface Waiter {
  readonly resolve: (m: ResponseMessage) => void;
  readonly reject: (e: ChainError) => void;
}

export interface OutboundHooks {
  /** Sends a frame; false when it could not be sent (the connection is ending). */
  readonly send: (m: Message) => boolean;
  /** A fault of the peer's found here (a timeout, an unrequested or mismatched response). */
  readonly onFault: (f: PeerFault) => void;
  /** Runs a timer's work the way the peer runs a socket event's (errors cost only the connection). */
  readonly guard: (fn: () => void) => void;
  readonly now: () => number;
  /** For error messages ("host:port"). */
  readonly address: string;
}

export class OutboundRequests {
  private readonly tracker: RequestTracker;
  private readonly waiters = new Map<number, Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt: number | undefined;
  private stopped = false;

  constructor(maxOutstanding: number, timeoutMs: number, private readonly h: OutboundHooks) {
    this.tracker = new RequestTracker(maxOutstanding, timeoutMs);
  }

  /** Requests in flight. */
  get size(): number {
    return this.tracker.size;
  }

  /**
   * Sends a request and resolves with its matched response. Rejects with a ChainError: `notYet`
   * P2P_TOO_MANY_OUTSTANDING (our cap; retry later), `internal` P2P_PEER_CLOSED (it could not be
   * sent), or `invalid` with the fault's code (P2P_TIMEOUT, P2P_RESPONSE_MISMATCH, ...).
   */
  issue(body: RequestBody): Promise<ResponseMessage> {
    const issued = this.tracker.issue(body, this.h.now());
    if (!issued.ok) return Promise.reject(notYet(issued.code, issued.detail));
    const id = issued.request.id;
    const p = new Promise<ResponseMessage>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    if (!this.h.send(issued.message)) {
      this.tracker.cancel(id);
      this.settle(id, internal('P2P_PEER_CLOSED', `${this.h.address}: ${body.type} could not be sent`));
    } else {
      this.arm();
    }
    return p;
  }

  /**
   * A response from the peer: matched to its request, then `check` (the tips it carries) decides
   * whether it is accepted. A fault is reported and fails the request; returns whether it was accepted.
   */
  onResponse(res: ResponseMessage, check: (res: ResponseMessage) => PeerDecision): boolean {
    const match = this.tracker.match(res, this.h.now());
    this.arm();
    const d = match.ok ? check(res) : match;
    if (!d.ok) {
      this.settle(res.requestId, invalid(d.fault, d.detail));
      this.h.onFault(d);
      return false;
    }
    this.settle(res.requestId, res);
    return true;
  }

  /** The connection ended: every waiting request fails with P2P_PEER_CLOSED and the timer stops. */
  closeAll(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
    for (const id of [...this.waiters.keys()]) {
      this.tracker.cancel(id);
      this.settle(id, internal('P2P_PEER_CLOSED', `${this.h.address} closed`));
    }
  }

  private settle(id: number, outcome: ResponseMessage | ChainError): void {
    const w = this.waiters.get(id);
    if (!w) return;
    this.waiters.delete(id);
    if (outcome instanceof ChainError) w.reject(outcome);
    else w.resolve(outcome);
  }

  /** One timer, on the tracker's earliest deadline. */
  private arm(): void {
    const next = this.tracker.nextDeadlineMs();
    if (next === this.timerAt) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === undefined || this.stopped) return;
    this.timer = setTimeout(() => this.h.guard(() => this.onTimer()), Math.max(0, next - this.h.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = undefined;
    for (const t of this.tracker.expire(this.h.now())) {
      this.settle(t.request.id, invalid(t.fault.fault, t.fault.detail));
      this.h.onFault(t.fault);
    }
    this.arm();
  }
}
