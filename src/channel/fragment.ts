/**
 * Xshard messages and their fragments on a ring.
 *
 * A message's body is `sourceHash (32 bytes) || payload`. It travels as one or more frames, each
 * a fragment with this 12-byte header (u32 little-endian) followed by a chunk of the body:
 *
 *   offset  size  field   meaning
 *   ------  ----  ------  ---------------------------------------------------------------
 *        0     4  seq     the message's sequence number on this ring (1, 2, 3, … wrapping)
 *        4     4  total   body bytes of the whole message
 *        8     4  offset  where this fragment's chunk starts in the body
 *       12     …  chunk   body[offset, offset + chunk length)
 *
 * One producer writes a message's fragments consecutively and in order, so the consumer checks
 * that each fragment continues the message it is assembling and that each new message has the
 * next sequence number. The message is complete when offset + chunk length = total.
 */
import { internal } from '../core/errors.js';
import { nextSeq } from './seq.js';

/** A cross-shard deposit list as the application hands it over (payload is opaque here). */
export interface XshardList {
  /** Hash of the source block that emitted the list; the destination dedupes by it. */
  readonly sourceHash: Uint8Array;
  /** The encoded deposit list. */
  readonly payload: Uint8Array;
}

/** A list as delivered, with the sequence number it had on its ring. */
export interface XshardMessage extends XshardList {
  readonly seq: number;
}

/** Bytes of a source block hash. */
export const SOURCE_HASH_BYTES = 32;
/** Bytes of the fragment header in front of every chunk. */
export const FRAGMENT_HEADER_BYTES = 12;
/**
 * Default cap on one message's body: far above any deposit list a block can emit (a block's gas
 * limit over ~9,000 gas per cross-shard transfer gives a few thousand ~100-byte deposits), yet it
 * bounds what a corrupt header could make the consumer allocate.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Writes a fragment header into `out` (at least FRAGMENT_HEADER_BYTES long). */
export function writeFragmentHeader(out: Uint8Array, seq: number, total: number, offset: number): void {
  putU32(out, 0, seq);
  putU32(out, 4, total);
  putU32(out, 8, offset);
}

/** Reassembles the fragments read from one ring into messages, checking order and bounds. */
export class Reassembler {
  /** Sequence number of the last complete message. */
  private lastSeq: number;
  private body: Uint8Array | null = null;
  private seq = 0;
  private filled = 0;

  constructor(lastSeq: number, private readonly maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES) {
    this.lastSeq = lastSeq >>> 0;
  }

  /** Takes one frame; returns the message it completes, or null if more fragments are due. */
  push(frame: Uint8Array): XshardMessage | null {
    if (frame.length < FRAGMENT_HEADER_BYTES) throw corrupt(`frame of ${frame.length} bytes has no header`);
    const seq = getU32(frame, 0);
    const total = getU32(frame, 4);
    const offset = getU32(frame, 8);
    const chunk = frame.length - FRAGMENT_HEADER_BYTES;
    if (offset === 0) this.begin(seq, total, frame.length);
    else if (this.body === null || seq !== this.seq || total !== this.body.length || offset !== this.filled) {
      throw corrupt(`fragment (seq ${seq}, offset ${offset}) does not continue seq ${this.seq} at ${this.filled}`);
    }
    if (offset + chunk > total) throw corrupt(`fragment of seq ${seq} overruns its ${total}-byte body`);
    if (this.body === null) {
      // Whole message in this one frame: hand out views of it, no second copy.
      this.lastSeq = seq;
      return message(seq, frame.subarray(FRAGMENT_HEADER_BYTES));
    }
    this.body.set(frame.subarray(FRAGMENT_HEADER_BYTES), offset);
    this.filled += chunk;
    if (this.filled < total) return null;
    const body = this.body;
    this.body = null;
    this.lastSeq = seq;
    return message(seq, body);
  }

  /** True while a message is partly received. */
  get assembling(): boolean {
    return this.body !== null;
  }

  private begin(seq: number, total: number, frameLength: number): void {
    if (this.body !== null) throw corrupt(`seq ${seq} starts before seq ${this.seq} is complete`);
    if (seq !== nextSeq(this.lastSeq)) throw corrupt(`seq ${seq} follows seq ${this.lastSeq}`);
    if (total < SOURCE_HASH_BYTES || total > this.maxMessageBytes) {
      throw corrupt(`seq ${seq} declares a ${total}-byte body (bounds ${SOURCE_HASH_BYTES}..${this.maxMessageBytes})`);
    }
    this.seq = seq;
    this.filled = 0;
    if (frameLength - FRAGMENT_HEADER_BYTES < total) this.body = new Uint8Array(total);
  }
}

function message(seq: number, body: Uint8Array): XshardMessage {
  return { seq, sourceHash: body.subarray(0, SOURCE_HASH_BYTES), payload: body.subarray(SOURCE_HASH_BYTES) };
}

function corrupt(message: string): Error {
  // Rings are local memory written by our own code: a bad fragment is our failure, not a peer's.
  return internal('XSHARD_FRAGMENT', message);
}

function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = v >>> 24;
}

function getU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
