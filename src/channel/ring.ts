/**
 * Single-producer / single-consumer byte ring in one SharedArrayBuffer (after ringbuf.js).
 *
 * Memory layout (byte offsets; u32 words in native byte order, both threads share one machine):
 *
 *   offset  field        written by   meaning
 *   ------  -----------  -----------  ------------------------------------------------------
 *        0  capacity     createRing   size of the data area in bytes; a power of two; constant
 *        4  magic        createRing   RING_MAGIC, checked when a thread wraps the buffer
 *       64  head         producer     free-running u32: bytes ever published
 *       68  spaceWanted  both         0, or the free bytes the blocked producer waits for; consumer clears
 *       72  sent         producer     last xshard sequence number assigned on this ring
 *       76  ackWanted    both         1 = the producer waits for an ack; the consumer clears it
 *      128  tail         consumer     free-running u32: bytes ever consumed (frees space)
 *      132  acked        consumer     last xshard sequence number durably stored by the consumer
 *      192  data         both         `capacity` bytes of frames
 *
 * (Word indices, createRing and the sequence/ack words' accessors: ringHeader.ts.)
 *
 * Producer-written and consumer-written words sit on separate 64-byte cache lines, so the two
 * threads do not bounce one line between cores on every frame.
 *
 * Frame: [u32 length][u32 unused][length bytes][0–7 bytes of padding up to a multiple of 8]. Every
 * frame starts at a multiple of 8 and the capacity is a power of two, so the prefix never straddles
 * the end of the data area; a body may wrap and is then copied in two parts. Bodies start 8-byte
 * aligned because V8 copies into and out of a SharedArrayBuffer word by word only when both sides
 * share 8-byte alignment (byte by byte otherwise, ~7x slower).
 *
 * used = (head - tail) >>> 0 ≤ capacity, and a counter's data index is `counter & (capacity - 1)`.
 * The counters run freely modulo 2^32 (2^32 is a multiple of the capacity) and may start anywhere;
 * tests start them just below 2^32. Publication: the producer copies a frame, then
 * `Atomics.store(head)`; the consumer `Atomics.load(head)`, copies the frame out, then
 * `Atomics.store(tail)`. All shared counters go through `Atomics`; only frame bytes are plain.
 */
import { internal, invalid } from '../core/errors.js';
import { copyFromRing, copyIntoRing } from './ringCopy.js';
import {
  FRAME_PREFIX_BYTES, RING_HEADER_BYTES, RingHeader, W_HEAD, W_SPACE_WANTED, W_TAIL, frameBytes,
} from './ringHeader.js';
import { u32Add, u32Distance } from './seq.js';
import { Slab } from './slab.js';

export {
  FRAME_PREFIX_BYTES, MAX_RING_BYTES, MIN_RING_BYTES, RING_HEADER_BYTES, type RingInit, createRing, frameBytes,
} from './ringHeader.js';

/**
 * A blocked producer is woken once at least 1/SPACE_WAKE_SHARE of the ring is free (or its frame
 * fits, if bigger), not after every freed frame, so a full ring does not cost a notify per frame.
 */
const SPACE_WAKE_SHARE = 2;

/**
 * A view of a ring; construct one in each thread over the same buffer. Use one instance as the
 * producer (`tryWrite*`, `requestSpaceWake`, `requestAckWake`, `setSent`) and one as the consumer
 * (`read*`, `nextLength`/`peekInto`/`skip`, `take*Request`, `ack`); each caches its own counter,
 * so there must be exactly one of each.
 */
export class Ring extends RingHeader {
  /** Largest body one frame can carry; bigger messages are fragmented by the layer above. */
  readonly maxFrameBytes: number;
  private readonly bytes: Uint8Array;
  private readonly words: Uint32Array;
  private readonly mask: number;
  private readonly slab = new Slab();
  /** Producer: its own head, and the last tail it loaded (space is at least what that shows). */
  private head: number;
  private tailSeen: number;
  /** Consumer: its own tail, and the last head it loaded. */
  private tail: number;
  private headSeen: number;

  constructor(sab: SharedArrayBuffer) {
    super(sab);
    const capacity = this.capacity;
    this.maxFrameBytes = capacity - FRAME_PREFIX_BYTES;
    this.mask = capacity - 1;
    this.bytes = new Uint8Array(sab, RING_HEADER_BYTES, capacity);
    this.words = new Uint32Array(sab, RING_HEADER_BYTES, capacity >>> 2);
    this.head = Atomics.load(this.ctl, W_HEAD);
    this.tail = Atomics.load(this.ctl, W_TAIL);
    this.tailSeen = this.tail;
    this.headSeen = this.head;
  }

  /** Producer: copies `frame` in as one frame; false when the ring is full (nothing written). */
  tryWrite(frame: Uint8Array): boolean {
    return this.tryWriteParts(frame, null);
  }

  /** Producer: writes `a` then `b` as one frame (a fragment header and its chunk, without a join). */
  tryWriteParts(a: Uint8Array, b: Uint8Array | null): boolean {
    const length = a.length + (b === null ? 0 : b.length);
    if (length > this.maxFrameBytes) {
      throw invalid('RING_FRAME_TOO_LARGE', `frame of ${length} bytes exceeds ${this.maxFrameBytes}; fragment it`);
    }
    const need = frameBytes(length);
    if (!this.hasRoom(need)) return false;
    const at = this.head & this.mask;
    this.words[at >>> 2] = length;
    const bodyAt = (at + FRAME_PREFIX_BYTES) & this.mask;
    copyIntoRing(this.bytes, a, bodyAt);
    if (b !== null) copyIntoRing(this.bytes, b, (bodyAt + a.length) & this.mask);
    this.head = u32Add(this.head, need);
    Atomics.store(this.ctl, W_HEAD, this.head);
    return true;
  }

  /** Consumer: body length of the next frame, or -1 when the ring is empty. */
  nextLength(): number {
    if (this.tail === this.headSeen) {
      this.headSeen = Atomics.load(this.ctl, W_HEAD);
      if (this.tail === this.headSeen) return -1;
    }
    const length = this.words[(this.tail & this.mask) >>> 2]!;
    if (length > this.maxFrameBytes || frameBytes(length) > u32Distance(this.headSeen, this.tail)) {
      throw internal('RING_CORRUPT', `frame length ${length} at counter ${this.tail} overruns the ring`);
    }
    return length;
  }

  /** Consumer: copies body bytes [from, from + length) of the next frame into `dst` (no consume). */
  peekInto(dst: Uint8Array, dstOffset: number, from: number, length: number): void {
    copyFromRing(this.bytes, (this.tail + FRAME_PREFIX_BYTES + from) & this.mask, dst, dstOffset, length);
  }

  /** Consumer: frees the next frame (call after nextLength() ≥ 0). */
  skip(length: number): void {
    this.tail = u32Add(this.tail, frameBytes(length));
    Atomics.store(this.ctl, W_TAIL, this.tail);
  }

  /**
   * Consumer: the next frame, copied out (its ring space is freed at once), or null if empty.
   * Small frames are views into a shared slab (slab.ts): slice() any you keep for long.
   */
  read(): Uint8Array | null {
    const length = this.nextLength();
    if (length < 0) return null;
    const out = this.slab.take(length);
    this.peekInto(out, 0, 0, length);
    this.skip(length);
    return out;
  }

  /**
   * Consumer: copies the next frame into `dst` (reused by the caller: no allocation) and frees it;
   * returns its length, or -1 if the ring is empty. Throws RING_DST_SHORT if it does not fit.
   */
  readInto(dst: Uint8Array): number {
    const length = this.nextLength();
    if (length < 0) return -1;
    if (length > dst.length) throw invalid('RING_DST_SHORT', `frame of ${length} bytes, buffer of ${dst.length}`);
    this.peekInto(dst, 0, 0, length);
    this.skip(length);
    return length;
  }

  /** Bytes published and not yet consumed (either thread; a snapshot). */
  usedBytes(): number {
    return u32Distance(Atomics.load(this.ctl, W_HEAD), Atomics.load(this.ctl, W_TAIL));
  }

  /**
   * Producer: asks the consumer to ring the producer's doorbell once a frame with a `length`-byte
   * body fits and at least half the ring is free. Retry the write after calling this: space freed
   * before the request was visible rings nobody.
   */
  requestSpaceWake(length: number): void {
    const want = Math.max(frameBytes(length), this.capacity / SPACE_WAKE_SHARE);
    Atomics.store(this.ctl, W_SPACE_WANTED, Math.min(want, this.capacity));
  }

  /** Consumer: true (once) if the producer waits for space and now has enough; clears the request. */
  takeSpaceRequest(): boolean {
    const want = Atomics.load(this.ctl, W_SPACE_WANTED);
    // headSeen ≤ the real head, so this can only overstate free space: early wake-ups, never late.
    if (want === 0 || this.capacity - u32Distance(this.headSeen, this.tail) < want) return false;
    return Atomics.exchange(this.ctl, W_SPACE_WANTED, 0) !== 0;
  }

  private hasRoom(need: number): boolean {
    if (this.capacity - u32Distance(this.head, this.tailSeen) >= need) return true;
    this.tailSeen = Atomics.load(this.ctl, W_TAIL);
    return this.capacity - u32Distance(this.head, this.tailSeen) >= need;
  }
}
