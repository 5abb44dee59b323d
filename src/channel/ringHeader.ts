/**
 * A ring's header words (the layout table is at the top of ring.ts), its allocation, and the
 * words the xshard layer keeps there: the sequence numbers sent and acked, and the producer's
 * request to be woken at the next ack.
 */
import { internal, invalid } from '../core/errors.js';

/** Header size: three 64-byte cache lines (constants, producer words, consumer words). */
export const RING_HEADER_BYTES = 192;
/** Smallest data area: room for a frame prefix and a few header words of the layer above. */
export const MIN_RING_BYTES = 64;
/** Largest data area: keeps `(head - tail) >>> 0` far below 2^31, so it is never ambiguous. */
export const MAX_RING_BYTES = 2 ** 30;
/** Bytes of the prefix in front of every frame: the u32 length, then 4 bytes keeping bodies aligned. */
export const FRAME_PREFIX_BYTES = 8;
/** Frames are padded to 8 bytes: the prefix is always contiguous and every body 8-byte aligned. */
const FRAME_ALIGN_MASK = 7;
/** 'RING' in ASCII: detects a buffer that was not made by createRing. */
const RING_MAGIC = 0x52494e47;

/** Word indices (u32) of the header fields; see the table in ring.ts. */
export const W_CAPACITY = 0;
const W_MAGIC = 1;
export const W_HEAD = 16;
export const W_SPACE_WANTED = 17;
const W_SENT = 18;
const W_ACK_WANTED = 19;
export const W_TAIL = 32;
const W_ACKED = 33;

/** Start values, for tests that exercise the wrap of the free-running counters near 2^32. */
export interface RingInit {
  /** Initial head = tail (a multiple of 8). Default 0. */
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
    throw invalid('RING_INIT', `initial counter must be a u32 multiple of 8, got ${counter}`);
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

/** The header of a ring made by createRing, validated; Ring adds the frames. */
export class RingHeader {
  readonly capacity: number;
  protected readonly ctl: Uint32Array;

  constructor(readonly sab: SharedArrayBuffer) {
    this.ctl = new Uint32Array(sab, 0, RING_HEADER_BYTES >>> 2);
    const capacity = Atomics.load(this.ctl, W_CAPACITY);
    if (Atomics.load(this.ctl, W_MAGIC) !== RING_MAGIC || sab.byteLength !== RING_HEADER_BYTES + capacity) {
      throw internal('RING_LAYOUT', 'buffer is not a ring made by createRing');
    }
    this.capacity = capacity;
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

  /** Producer: asks the consumer to ring the producer's doorbell at its next ack. Re-check after. */
  requestAckWake(): void {
    Atomics.store(this.ctl, W_ACK_WANTED, 1);
  }

  /** Consumer: true (once) if the producer waits for an ack; clears the request. */
  takeAckRequest(): boolean {
    if (Atomics.load(this.ctl, W_ACK_WANTED) === 0) return false;
    return Atomics.exchange(this.ctl, W_ACK_WANTED, 0) !== 0;
  }
}
