/**
 * Wrap-safe arithmetic on u32 counters (ring byte counters and xshard sequence numbers).
 * Both sides count freely modulo 2^32; two values are compared through their signed
 * 32-bit difference, which is exact while they are less than 2^31 apart (RFC 1982 style).
 */

/** Modulus of the free-running counters: they are stored as u32. */
export const U32_MODULUS = 2 ** 32;

/** `a + n` modulo 2^32. */
export function u32Add(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** `(a - b) mod 2^32`: how far `a` is ahead of `b`, for counters where a never trails b. */
export function u32Distance(a: number, b: number): number {
  return (a - b) >>> 0;
}

/** True when `a` is at or after `b` (e.g. "acked ≥ seq"), for values less than 2^31 apart. */
export function seqAtLeast(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** The sequence number after `seq`. */
export function nextSeq(seq: number): number {
  return (seq + 1) >>> 0;
}
