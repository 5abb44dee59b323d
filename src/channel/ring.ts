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
 * Producer-written and consumer-written words sit on separate 64-byte cache lines, so the two
 * threads do not bounce one line between cores on every frame.
 *
 * Frame: [u32 length][length bytes][0–3 bytes of padding up to a multiple of 4]. Every frame starts
 * at a multiple of 4 and the capacity is a power of two, so the length word never straddles the
 * end of the data area; a body may wrap and is then copied in two parts.
 *
 * used = (head - tail) >>> 0 ≤ capacity, and a counter's data index is `counter & (capacity - 1)`.
 * The counters run freely modulo 2^32 (2^32 is a multiple of the capacity) and may start anywhere;
 * tests start them just below 2^32. Publication: the producer copies a frame, then
 * `Atomics.store(head)`; the consumer `Atomics.load(head)`, copies the frame out, then
 * `Atomics.store(tail)`. All shared counters go through `Atomics`; only frame bytes are plain.
 */
import { internal, invalid } from '../core/errors.js';
import { u32Add, u32Distance } from './seq.js';
import { Slab } from './slab.js';

/** Header size: three 64-byte cache lines (constants, producer words, consumer words). */
export const RING_HEADER_BYTES = 192;
/** Smallest data area: room for a length word and a few header words of the layer above. */
export const MIN_RING_BYTES = 64;
/** Largest data area: keeps `(head - tail) >>> 0` far below 2^31, so it is never ambiguous. */
export const MAX_RING_BYTES = 2 ** 30;
/** Bytes of the length prefix in front of every frame. */
export const FRAME_PREFIX_BYTES = 4;
/** Frames are padded to 4 bytes so the length word is always contiguous and aligned. */
const FRAME_ALIGN_MASK = 3;
/**
 * A blocked producer is woken once at least 1/SPACE_WAKE_SHARE of the ring is free (or its frame
 * fits, if bigger), not after every freed frame, so a full ring does not cost a notify per frame.
 */
const SPACE_WAKE_SHARE = 2;
/** 'RING' in ASCII: detects a buffer that was not made by createRing. */
const RING_MAGIC = 0x52494e47;

const W_CAPACITY = 0;
const W_MAGIC = 1;
const W_HEAD = 16;
const W_SPACE_WANTED = 17;
const W_SENT = 18;
const W_ACK_WANTED = 19;
const W_TAIL = 32;
const W_ACKED = 33;

/** Start values, for tests that exercise the wrap of the free-running counters near 2^32. */
export interface RingInit {
  /** Initial head = tail (a multiple of 4). Default 0. */
  readonly counter?: number;
  /** Initial sent = acked sequence number; the first message gets `seq + 1`. Default 0. */
  readonly seq?: number;
}

/** Bytes a frame with a `length`-byte body occupies in the ring (prefix and padding included). */
export function frameBytes(length: number): number {
  return (FRAME_PREFIX_BYTES + length + FRAME_ALIGN_MASK) & ~FRAME_ALIGN_MASK;
}

/** Allocates a ring with `capacityBytes` of data area (a power of two). */
export function createRing(capacityBytes: number, init: RingInit = {}): SharedArrayBuffer {
  const okSize = Number.isInteger(capacityBytes) && capacityBytes >= MIN_RING_BYTES &&
    capacityBytes <= MAX_RING_BYTES && (capacityBytes & (capacityBytes - 1)) === 0;
  if (!okSize) {
    throw invalid('RING_CAPACITY', `ring capacity must be a power of two in [${MIN_RING_BYTES}, 2^30], got ${capacityBytes}`);
  }
  const counter = init.counter ?? 0;
  if (!Number.isInteger(counter) || counter < 0 || counter >= 2 ** 32 || (counter & FRAME_ALIGN_MASK) !== 0) {
    throw invalid('RING_INIT', `initial counter must be a u32 multiple of 4, got ${counter}`);
  }
  const sab = new SharedArrayBuffer(RING_HEADER_BYTES + capacityBytes);
  const ctl = new Uint32Array(sab, 0, RING_HEADER_BYTES >>> 2);
  const seq = (init.seq ?? 0) >>> 0;
  Atomics.store(ctl, W_CAPACITY, capacityBytes);
  Atomics.store(ctl, W_HEAD, counter);
  Atomics.store(ctl, W_TAIL, counter);
  Atomics.store(ctl, W_SENT, seq);
  Atomics.store(ctl, W_ACKED, seq);
  Atomics.store(ctl, W_MAGIC, RING_MAGIC);
  return sab;
}

/**
 * A view of a ring; construct one in each thread over the same buffer. Use one instance as the
 * producer (`tryWrite*`, `requestSpaceWake`, `setSent`) and one as the consumer (`read`,
 * `takeSpaceRequest`, `ack`); each caches its own counter, so there must be exactly one of each.
 */
export class Ring {
  readonly capacity: number;
  /** Largest body one frame can carry; bigger messages are fragmented by the layer above. */
  readonly maxFrameBytes: number;
  private readonly ctl: Uint32Array;
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

  constructor(readonly sab: SharedArrayBuffer) {
    this.ctl = new Uint32Array(sab, 0, RING_HEADER_BYTES >>> 2);
    const capacity = Atomics.load(this.ctl, W_CAPACITY);
    if (Atomics.load(this.ctl, W_MAGIC) !== RING_MAGIC || sab.byteLength !== RING_HEADER_BYTES + capacity) {
      throw internal('RING_LAYOUT', 'buffer is not a ring made by createRing');
    }
    this.capacity = capacity;
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
    this.copyIn(a, bodyAt);
    if (b !== null) this.copyIn(b, (bodyAt + a.length) & this.mask);
    this.head = u32Add(this.head, need);
    Atomics.store(this.ctl, W_HEAD, this.head);
    return true;
  }

  /**
   * Consumer: the next frame, copied out (its ring space is freed at once), or null if empty.
   * Small frames are views into a shared slab (slab.ts): slice() any you keep for long.
   */
  read(): Uint8Array | null {
    if (this.tail === this.headSeen) {
      this.headSeen = Atomics.load(this.ctl, W_HEAD);
      if (this.tail === this.headSeen) return null;
    }
    const at = this.tail & this.mask;
    const length = this.words[at >>> 2]!;
    if (length > this.maxFrameBytes || frameBytes(length) > u32Distance(this.headSeen, this.tail)) {
      throw internal('RING_CORRUPT', `frame length ${length} at counter ${this.tail} overruns the ring`);
    }
    const out = this.copyOut((at + FRAME_PREFIX_BYTES) & this.mask, length);
    this.tail = u32Add(this.tail, frameBytes(length));
    Atomics.store(this.ctl, W_TAIL, this.tail);
    return out;
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

  /** Producer: asks the consumer to ring the producer's doorbell at its next ack. Re-check after. */
  requestAckWake(): void {
    Atomics.store(this.ctl, W_ACK_WANTED, 1);
  }

  /** Consumer: true (once) if the producer waits for an ack; clears the request. */
  takeAckRequest(): boolean {
    if (Atomics.load(this.ctl, W_ACK_WANTED) === 0) return false;
    return Atomics.exchange(this.ctl, W_ACK_WANTED, 0) !== 0;
  }

  /** Last sequence number the producer assigned on this ring. */
  sent(): number {
    return Atomics.load(this.ctl, W_SENT);
  }

  /** Producer: records the last sequence number assigned. */
  setSent(seq: number): void {
    Atomics.store(this.ctl, W_SENT, seq >>> 0);
  }

  /** Last sequence number the consumer has durably stored ("acked ≥ seq" = received). */
  acked(): number {
    return Atomics.load(this.ctl, W_ACKED);
  }

  /** Consumer: records that every message up to `seq` is durably stored. */
  ack(seq: number): void {
    Atomics.store(this.ctl, W_ACKED, seq >>> 0);
  }

  private hasRoom(need: number): boolean {
    if (this.capacity - u32Distance(this.head, this.tailSeen) >= need) return true;
    this.tailSeen = Atomics.load(this.ctl, W_TAIL);
    return this.capacity - u32Distance(this.head, this.tailSeen) >= need;
  }

  private copyIn(src: Uint8Array, at: number): void {
    const first = this.capacity - at;
    if (src.length <= first) {
      this.bytes.set(src, at);
    } else {
      this.bytes.set(src.subarray(0, first), at);
      this.bytes.set(src.subarray(first), 0);
    }
  }

  private copyOut(at: number, length: number): Uint8Array {
    const out = this.slab.take(length);
    const first = this.capacity - at;
    if (length <= first) {
      out.set(this.bytes.subarray(at, at + length));
      return out;
    }
    out.set(this.bytes.subarray(at, this.capacity));
    out.set(this.bytes.subarray(0, length - first), first);
    return out;
  }
}
