/**
 * What the peer rules decide, as plain data: `{ ok: true }`, or a fault with a stable P2P_ code.
 * A fault is always the peer's doing (penalise it). A `fatal` one means: send DISCONNECT with
 * `reason`, close, and refuse the peer for BAN_MS. A non-fatal one is a penalty only; `reason`
 * is what to send should the peer manager drop the peer anyway.
 */
import type { InvalidCode } from '../core/errors.js';
import type { DisconnectReason } from './messageTypes.js';

/** How long a peer dropped for a fatal fault is refused (go-ethereum blockpool's 300 s suspension). */
export const BAN_MS = 300_000;

export interface PeerOk {
  readonly ok: true;
}

export interface PeerFault {
  readonly ok: false;
  /** Stable code, P2P_ prefixed (or the `invalid` code a sync source rejected with); a Peer rejects with it as `invalid`. */
  readonly fault: InvalidCode;
  readonly fatal: boolean;
  readonly reason: DisconnectReason;
  /** For logs. */
  readonly detail: string;
}

export type PeerDecision = PeerOk | PeerFault;

export const OK: PeerOk = { ok: true };

export function peerFault(fault: InvalidCode, fatal: boolean, reason: DisconnectReason, detail: string): PeerFault {
  return { ok: false, fault, fatal, reason, detail };
}

/**
 * Faults found while syncing from a peer (sync/), each with whether it is fatal and the
 * DISCONNECT reason it carries. Transport faults (P2P_TIMEOUT, P2P_TOO_MANY_ITEMS, ...) keep the
 * codes of requestTracker.ts; these are about what the responses say.
 */
export const SYNC_FAULTS = {
  /** A header's seal does not meet its difficulty (go-ethereum's ErrInvalidPoW). */
  P2P_BAD_SEAL: { fatal: true, reason: 'BAD_BLOCK' },
  /** A header breaks another header rule (difficulty, total difficulty, time, version). */
  P2P_BAD_HEADER: { fatal: true, reason: 'BAD_BLOCK' },
  /** A header's hashPrevBlock is not the header before it. */
  P2P_HEADERS_NOT_LINKED: { fatal: true, reason: 'BAD_RESPONSE' },
  /** Header heights not as asked: not consecutive, or not the sampled heights. */
  P2P_HEADERS_NOT_CONTIGUOUS: { fatal: true, reason: 'BAD_RESPONSE' },
  /** Fewer headers or blocks than the peer's own tip says it has (QuarkChain: wrong count). */
  P2P_SHORT_RESPONSE: { fatal: true, reason: 'BAD_RESPONSE' },
  /** TD lies: the chain served ends at another TD than announced (go-ethereum's ErrIncorrectTD), or a header's TD is not its parent's plus its difficulty. */
  P2P_TD_MISMATCH: { fatal: true, reason: 'BAD_TIP' },
  /** The chain served reaches the announced height and TD with another block. */
  P2P_TIP_MISMATCH: { fatal: true, reason: 'BAD_TIP' },
  /** A block in a response is not the one asked for in that place. */
  P2P_BLOCK_MISMATCH: { fatal: true, reason: 'BAD_RESPONSE' },
  /** A root block whose minor headers do not match its merkle root. */
  P2P_BAD_BODY: { fatal: true, reason: 'BAD_BLOCK' },
  /** A block the chain refused as invalid (go-ethereum's ErrInvalidBlock). */
  P2P_BAD_BLOCK: { fatal: true, reason: 'BAD_BLOCK' },
  /** No common ancestor in the search range: a fork deeper than the staleness limit (fatal only if the range reached genesis). */
  P2P_NO_COMMON_ANCESTOR: { fatal: false, reason: 'BAD_RESPONSE' },
  /** A body download handed to another peer for being slow, then never answered (charged on top of the request's timeout). */
  P2P_STALLED: { fatal: false, reason: 'TIMEOUT' },
} as const satisfies Partial<Record<InvalidCode, { readonly fatal: boolean; readonly reason: DisconnectReason }>>;

export type SyncFaultCode = keyof typeof SYNC_FAULTS;

/** The fault `code` of SYNC_FAULTS with its fatality and reason; `fatal` overrides the table. */
export function syncFault(code: SyncFaultCode, detail: string, fatal?: boolean): PeerFault {
  const spec = SYNC_FAULTS[code];
  return peerFault(code, fatal ?? spec.fatal, spec.reason, detail);
}
