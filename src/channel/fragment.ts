/**
 * Xshard messages and their fragments on a ring.
 *
 * A message's body is `sourceHash (32 bytes) || payload`. It travels as one or more frames, each
 * a fragment with this 16-byte header (u32 little-endian) followed by a chunk of the body:
 *
 *   offset  size  field   meaning
 *   ------  ----  ------  ---------------------------------------------------------------
 *        0     4  seq     the message's sequence number on this ring (1, 2, 3, … wrapping)
 *        4     4  total   body bytes of the whole message
 *        8     4  offset  where this fragment's chunk starts in the body
 *       12     4  0       reserved: keeps the chunk 8-byte aligned in the ring (see ring.ts)
 *       16     …  chunk   body[offset, offset + chunk length)
 *
 * One producer writes a message's fragments consecutively and in order, so the consumer checks
 * that each fragment continues the message it is assembling and that each new message has the
 * next sequence number. The message is complete when offset + chunk length = total.
 */
import { internal } from '../core/errors.js';
import { nextSeq } from './seq.js';
import { Slab } from './slab.js';

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
/** Bytes of the fragment header in front of every chunk (a multiple of 8, like the hash). */
export const FRAGMENT_HEADER_BYTES = 16;
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
  putU32(out, 12, 0);
}

/** The consumer side of a ring as the reassembler reads it (Ring implements it). */
export interface FrameSource {
  /** Copies body bytes [from, from + length) of the next frame into `dst` at `dstOffset`. */
  peekInto(dst: Uint8Array, dstOffset: number, from: number, length: number): void;
}

/**
 * Reassembles the fragments read from one ring into messages, checking order and bounds. Chunks
 * are copied straight from the ring into the message body: one copy per byte. Bodies come from
 * a slab (slab.ts), so a small message's payload may share its buffer with others.
 */
export class Reassembler {
  /** Sequence number of the last complete message. */
  private lastSeq: number;
  private body: Uint8Array | null = null;
  private seq = 0;
  private filled = 0;
  private readonly header = new Uint8Array(FRAGMENT_HEADER_BYTES);
  private readonly slab = new Slab();

  constructor(lastSeq: number, private readonly maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES) {
    this.lastSeq = lastSeq >>> 0;
  }

  /**
   * Takes the next frame of `source`, `length` bytes long (the caller frees it afterwards);
   * returns the message it completes, or null if more fragments are due.
   */
  push(source: FrameSource, length: number): XshardMessage | null {
    if (length < FRAGMENT_HEADER_BYTES) throw corrupt(`frame of ${length} bytes has no header`);
    source.peekInto(this.header, 0, 0, FRAGMENT_HEADER_BYTES);
    const seq = getU32(this.header, 0);
    const total = getU32(this.header, 4);
    const offset = getU32(this.header, 8);
    const chunk = length - FRAGMENT_HEADER_BYTES;
    if (offset === 0) this.begin(seq, total);
    else if (this.body === null || seq !== this.seq || total !== this.body.length || offset !== this.filled) {
      throw corrupt(`fragment (seq ${seq}, offset ${offset}) does not continue seq ${this.seq} at ${this.filled}`);
    }
    const body = this.body!;
    if (offset + chunk > total) {
      this.body = null;
      throw corrupt(`fragment of seq ${seq} overruns its ${total}-byte body`);
    }
    source.peekInto(body, offset, FRAGMENT_HEADER_BYTES, chunk);
    this.filled += chunk;
    if (this.filled < total) return null;
    this.body = null;
    this.lastSeq = seq;
    return { seq, sourceHash: body.subarray(0, SOURCE_HASH_BYTES), payload: body.subarray(SOURCE_HASH_BYTES) };
  }

  /** True while a message is partly received. */
  get assembling(): boolean {
    return this.body !== null;
  }

  private begin(seq: number, total: number): void {
    if (this.body !== null) throw corrupt(`seq ${seq} starts before seq ${this.seq} is complete`);
    if (seq !== nextSeq(this.lastSeq)) throw corrupt(`seq ${seq} follows seq ${this.lastSeq}`);
    if (total < SOURCE_HASH_BYTES || total > this.maxMessageBytes) {
      throw corrupt(`seq ${seq} declares a ${total}-byte body (bounds ${SOURCE_HASH_BYTES}..${this.maxMessageBytes})`);
    }
    this.seq = seq;
    this.filled = 0;
    this.body = this.slab.take(total);
  }
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
