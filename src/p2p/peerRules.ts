/**
 * Peer-misbehaviour rules (DESIGN §10, reference/sync.md §2), pure: no clocks (callers pass
 * `nowMs`), no timers, no sockets. Each rule returns a PeerDecision as plain data; acting on it
 * (penalise, DISCONNECT, ban for BAN_MS) is the connection layer's job.
 *   handshake.ts        a received HELLO against ours; HELLO first and once; handshake timeout
 *   tipRules.ts         per-peer tip monotonicity (PeerTips)
 *   requestTracker.ts   our requests: ids, cap, matching, timeouts (RequestTracker)
 *   inboundRequests.ts  the peer's requests to us: cap and duplicate ids (InboundRequests)
 * and here: a frame that does not decode.
 */
import { ChainError, invalidCode } from '../core/errors.js';
import { peerFault, type PeerFault } from './peerFault.js';

export * from './peerFault.js';
export * from './handshake.js';
export * from './tipRules.js';
export * from './requestTracker.js';
export * from './inboundRequests.js';

/**
 * The fault of a peer whose frame `decodeMessage` refused: fatal (go-ethereum and QuarkChain both
 * disconnect on an undecodable or oversized message), reason BAD_MESSAGE. Undefined when the
 * error is not the peer's fault (an `internal` decoder failure: never penalise anyone for it).
 */
export function malformedFrameFault(e: unknown): PeerFault | undefined {
  if (!(e instanceof ChainError)) return undefined;
  const code = invalidCode(e);
  if (code === undefined) return undefined;
  return peerFault(code, true, 'BAD_MESSAGE', e.message);
}
