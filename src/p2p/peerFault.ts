/**
 * What the peer rules decide, as plain data: `{ ok: true }`, or a fault with a stable P2P_ code.
 * A fault is always the peer's doing (penalise it). A `fatal` one means: send DISCONNECT with
 * `reason`, close, and refuse the peer for BAN_MS. A non-fatal one is a penalty only; `reason`
 * is what to send should the peer manager drop the peer anyway.
 */
import type { DisconnectReason } from './messageTypes.js';

/** How long a peer dropped for a fatal fault is refused (go-ethereum blockpool's 300 s suspension). */
export const BAN_MS = 300_000;

export interface PeerOk {
  readonly ok: true;
}

export interface PeerFault {
  readonly ok: false;
  /** Stable code, P2P_ prefixed. */
  readonly fault: string;
  readonly fatal: boolean;
  readonly reason: DisconnectReason;
  /** For logs. */
  readonly detail: string;
}

export type PeerDecision = PeerOk | PeerFault;

export const OK: PeerOk = { ok: true };

export function peerFault(fault: string, fatal: boolean, reason: DisconnectReason, detail: string): PeerFault {
  return { ok: false, fault, fatal, reason, detail };
}
