/**
 * P2P message codec (DESIGN §10): `encodeMessage` / `decodeMessage` turn typed messages
 * (messageTypes.ts) into binary frames, an envelope (envelope.ts) then a body (messageBodies.ts).
 *
 * Decoding a peer's frame throws nothing but `invalid` ChainErrors (penalise the sender), with
 * these codes:
 *   P2P_FRAME_TOO_LARGE   the frame is over MAX_FRAME_BYTES (checked before anything is read)
 *   P2P_UNKNOWN_TYPE      the type byte names no message
 *   P2P_TRUNCATED         the frame ends early (or a list count cannot fit in what is left)
 *   P2P_TRAILING          bytes after the message
 *   P2P_LIST_TOO_LONG     a list count over its cap (refused before any item is read)
 *   P2P_BAD_LIMIT         a request for 0 items, or a header limit over its cap
 *   P2P_BAD_ENUM          an unknown origin tag, direction or disconnect reason
 *   P2P_BAD_VALUE         an integer out of range (a u64 over 2^53, a port over 65535)
 *   P2P_BAD_SHARD         a shard selector that is not a full shard id
 *   P2P_BRANCH_MISMATCH   a header or block of a shard message on another shard
 *   P2P_SHARD_TIPS_ORDER  HELLO shard tips not in strictly ascending full shard id
 *   P2P_TEXT_TOO_LONG     DISCONNECT text over MAX_DISCONNECT_TEXT_BYTES
 *   P2P_BAD_TEXT          DISCONNECT text not well-formed UTF-8, or with control characters
 *   P2P_MALFORMED         any other rule of the core decoders
 * Should the decoder itself fail in some other way, that is our bug: `internal` P2P_DECODE_FAILED.
 * Encoding refuses a message a peer would reject with `internal` P2P_ENCODE_INVALID (its message
 * names the decode code), and a frame over the cap with `internal` P2P_ENCODE_TOO_LARGE.
 */
import type { Bytes } from '../core/bytes.js';
import { Reader, Writer } from '../core/codec.js';
import { ChainError, codesWhere, internal, invalid, isDecodeError, type ErrorCode, type InvalidCode } from '../core/errors.js';
import { TYPE_SPECS, typeOfCode } from './envelope.js';
import { MAX_FRAME_BYTES } from './limits.js';
import { readBody, writeBody } from './messageBodies.js';
import type { Message } from './messageTypes.js';
import { checkShardId, decodeFail, encodeFail } from './wireChecks.js';

export * from './messageTypes.js';
export { sanitizeText } from './wireText.js';

/** Every code `decodeMessage` may throw for a peer's frame (the catalogue's `decode` codes). */
export const DECODE_ERROR_CODES: readonly ErrorCode[] = codesWhere((s) => s.decode === true);

/** The core codec's codes, as what they mean for a frame. */
const FROM_CODEC: Readonly<Partial<Record<ErrorCode, InvalidCode>>> = {
  CODEC_SHORT: 'P2P_TRUNCATED',
  CODEC_TRAILING: 'P2P_TRAILING',
  CODEC_OVERSIZE: 'P2P_LIST_TOO_LONG',
  CODEC_RANGE: 'P2P_BAD_VALUE',
  CODEC_LENGTH: 'P2P_BAD_VALUE',
};

function asDecodeError(e: unknown): ChainError {
  if (!(e instanceof ChainError)) return internal('P2P_DECODE_FAILED', `decoder failure: ${e instanceof Error ? e.message : String(e)}`);
  if (e.cls === 'invalid' && isDecodeError(e.code)) return e;
  const mapped = FROM_CODEC[e.code];
  if (mapped !== undefined) return invalid(mapped, e.message);
  return e.cls === 'invalid' ? invalid('P2P_MALFORMED', e.message) : internal('P2P_DECODE_FAILED', e.message);
}

function asEncodeError(e: unknown): ChainError {
  if (e instanceof ChainError && e.cls === 'internal') return e;
  return internal('P2P_ENCODE_INVALID', e instanceof Error ? e.message : String(e));
}

/** The binary frame of `m`; throws `internal` errors only (a message we must not send). */
export function encodeMessage(m: Message): Bytes {
  let out: Bytes;
  try {
    const spec = TYPE_SPECS[m.type];
    const w = new Writer();
    w.u8(spec.code);
    if (spec.requestId) w.u32('requestId' in m ? m.requestId : NaN);
    if (spec.shard) {
      const shardId = 'shardId' in m ? m.shardId : NaN;
      checkShardId(shardId, encodeFail);
      w.u32(shardId);
    }
    writeBody(w, m);
    out = w.finish();
  } catch (e) {
    throw asEncodeError(e);
  }
  if (out.length > MAX_FRAME_BYTES) throw internal('P2P_ENCODE_TOO_LARGE', `${m.type} frame of ${out.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  return out;
}

/** The message in a peer's frame; throws `invalid` ChainErrors with the codes listed above. */
export function decodeMessage(frame: Bytes): Message {
  if (frame.length > MAX_FRAME_BYTES) throw invalid('P2P_FRAME_TOO_LARGE', `frame of ${frame.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  try {
    const r = new Reader(frame);
    const code = r.u8();
    const type = typeOfCode(code);
    if (type === undefined) return decodeFail('P2P_UNKNOWN_TYPE', `type byte 0x${code.toString(16)}`);
    const spec = TYPE_SPECS[type];
    const requestId = spec.requestId ? r.u32() : 0;
    const shardId = spec.shard ? r.u32() : 0;
    if (spec.shard) checkShardId(shardId, decodeFail);
    const m = readBody(type, r, { frameLen: frame.length, requestId, shardId });
    r.end();
    return m;
  } catch (e) {
    throw asDecodeError(e);
  }
}
