/**
 * A peer's requests to us that we have not answered yet. A well-behaved peer never has more
 * than MAX_OUTSTANDING_REQUESTS in flight (its own RequestTracker refuses more), provided we
 * call `end` before sending each response; more, or an id reused while in flight, is flooding
 * or a broken peer: fatal (reason BAD_REQUEST).
 */
import { MAX_OUTSTANDING_REQUESTS } from './requestTracker.js';
import { OK, peerFault, type PeerDecision } from './peerFault.js';

export class InboundRequests {
  private readonly inFlight = new Set<number>();

  constructor(private readonly maxInFlight = MAX_OUTSTANDING_REQUESTS) {}

  get size(): number {
    return this.inFlight.size;
  }

  /** A request arrived; on a fault it is not recorded (do not serve it). */
  begin(requestId: number): PeerDecision {
    if (this.inFlight.has(requestId)) return peerFault('P2P_DUPLICATE_REQUEST_ID', true, 'BAD_REQUEST', `request id ${requestId} is already in flight`);
    if (this.inFlight.size >= this.maxInFlight) {
      return peerFault('P2P_TOO_MANY_REQUESTS', true, 'BAD_REQUEST', `request ${requestId} over the ${this.maxInFlight} allowed in flight`);
    }
    this.inFlight.add(requestId);
    return OK;
  }

  /** We are about to send the response to `requestId` (or gave up on it). */
  end(requestId: number): void {
    this.inFlight.delete(requestId);
  }
}
