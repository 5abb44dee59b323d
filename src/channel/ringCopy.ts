/**
 * Byte copies into and out of a ring's data area, split in two where they cross its end.
 * `data` is the whole data area (its length, the capacity, is a power of two); positions are
 * data indices, already masked.
 */

/** Copies `src` into the data area at `at`, wrapping at the end. */
export function copyIntoRing(data: Uint8Array, src: Uint8Array, at: number): void {
  const first = data.length - at;
  if (src.length <= first) {
    data.set(src, at);
  } else {
    data.set(src.subarray(0, first), at);
    data.set(src.subarray(first), 0);
  }
}

/** Copies `length` bytes from the data area at `at` (wrapping) into `dst` at `dstOffset`. */
export function copyFromRing(data: Uint8Array, at: number, dst: Uint8Array, dstOffset: number, length: number): void {
  const first = data.length - at;
  if (length <= first) {
    dst.set(data.subarray(at, at + length), dstOffset);
  } else {
    dst.set(data.subarray(at), dstOffset);
    dst.set(data.subarray(0, length - first), dstOffset + first);
  }
}
