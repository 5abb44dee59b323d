/**
 * What one incoming WebSocket frame or socket error means for a peer (src/p2p/peer.ts), without
 * the socket: a decoded message, a fault of the peer's, or a failure of ours (blame no one).
 */
import type { RawData } from 'ws';
import type { Bytes } from '../core/bytes.js';
import { MAX_FRAME_BYTES } from './limits.js';
import { decodeMessage, type Message } from './messages.js';
import { checkMessageOrder, malformedFrameFault, peerFault, type PeerFault } from './peerRules.js';

export type FrameOutcome =
  | { readonly kind: 'message'; readonly message: Message }
  | { readonly kind: 'fault'; readonly fault: PeerFault }
  | { readonly kind: 'ours'; readonly detail: string };

/** The bytes of a frame as `ws` hands them over (one buffer, fragments, or an ArrayBuffer). */
export function rawBytes(raw: RawData): Bytes {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return new Uint8Array(raw);
}

/** Decodes a frame and checks it may come now (`handshaken`: their HELLO was accepted). */
export function readFrame(data: RawData, isBinary: boolean, handshaken: boolean): FrameOutcome {
  if (!isBinary) return { kind: 'fault', fault: peerFault('P2P_TEXT_FRAME', true, 'BAD_MESSAGE', 'a text frame') };
  let message: Message;
  try {
    message = decodeMessage(rawBytes(data));
  } catch (e) {
    const f = malformedFrameFault(e);
    return f ? { kind: 'fault', fault: f } : { kind: 'ours', detail: e instanceof Error ? e.message : String(e) };
  }
  const order = checkMessageOrder(message.type, handshaken);
  return order.ok ? { kind: 'message', message } : { kind: 'fault', fault: order };
}

/** `ws` protocol errors (WS_ERR_*) are the peer's (an oversized frame, a bad opcode, an unmasked frame…); others are not faults. */
export function socketErrorFault(e: Error): PeerFault | undefined {
  const code = (e as Error & { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('WS_ERR_')) return undefined;
  return code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
    ? peerFault('P2P_FRAME_TOO_LARGE', true, 'BAD_MESSAGE', `a frame over ${MAX_FRAME_BYTES} bytes`)
    : peerFault('P2P_BAD_WS_FRAME', true, 'BAD_MESSAGE', `${code}: ${e.message}`);
}
