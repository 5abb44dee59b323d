/**
 * Copy-out memory for ring reads. A fresh `Uint8Array` per frame costs an ArrayBuffer allocation
 * (zero-filled, tracked by the GC): several hundred ns even for 100 bytes, more than the copy.
 * Small frames are therefore carved out of shared slabs, one allocation per many frames, and
 * large frames get their own buffer without zero-filling (every byte is overwritten at once).
 *
 * Retention: a small frame is a view into its slab; holding one keeps the whole slab alive.
 * Copy (`slice()`) frames that are kept for long in large numbers.
 */

/** One slab serves hundreds of small frames; large enough to amortise its allocation. */
const SLAB_BYTES = 256 * 1024;
/** Frames above this get their own buffer: little to amortise, and no slab kept alive by them. */
const SLAB_MAX_FRAME = SLAB_BYTES / 16;
/** Views start 8-byte aligned, so callers may lay wider typed arrays over them. */
const SLAB_ALIGN_MASK = 7;

export class Slab {
  private buffer: ArrayBuffer = new ArrayBuffer(0);
  private offset = 0;

  /** An uninitialised byte view of `length` bytes, to be overwritten entirely by the caller. */
  take(length: number): Uint8Array {
    if (length > SLAB_MAX_FRAME) return unpooled(length);
    if (this.offset + length > this.buffer.byteLength) {
      this.buffer = unpooled(SLAB_BYTES).buffer as ArrayBuffer;
      this.offset = 0;
    }
    const view = new Uint8Array(this.buffer, this.offset, length);
    this.offset = (this.offset + length + SLAB_ALIGN_MASK) & ~SLAB_ALIGN_MASK;
    return view;
  }
}

function unpooled(length: number): Uint8Array {
  // allocUnsafeSlow: a buffer of its own, not zero-filled (the copy overwrites every byte).
  const b = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(b.buffer, b.byteOffset, length);
}
