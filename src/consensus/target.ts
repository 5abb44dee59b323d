/**
 * Proof-of-work targets (DESIGN §5, chain_rules §5.2). Pure functions of the difficulty.
 *
 * QuarkChain compares differently per algorithm:
 * - POW_DOUBLESHA256: valid iff digest < floor(2^256 / d) − 1   (strict, minus one);
 * - POW_QKCHASH:      valid iff result ≤ floor(2^256 / d).
 * Kernels take one convention, an **inclusive bound** (`sealTarget`): valid iff digest ≤ bound.
 * A bound of −1 means no digest can be valid (only for absurd difficulties above 2^255).
 */
import { invalid } from '../core/errors.js';
import type { Bytes } from '../core/bytes.js';

export const TWO_256 = 1n << 256n;
export const MAX_U256 = TWO_256 - 1n;
/** The inclusive bound for which no 256-bit digest is valid. */
export const NO_TARGET = -1n;

/** Algorithms that carry a hash seal (`simulate` does not). */
export type HashAlgo = 'doublesha256' | 'qkchash';

/** floor(2^256 / d), QuarkChain's boundary for difficulty d (d ≥ 1). */
export function powBoundary(difficulty: bigint): bigint {
  if (difficulty < 1n) throw invalid('BAD_DIFFICULTY', `difficulty must be ≥ 1, got ${difficulty}`);
  return TWO_256 / difficulty;
}

/** QuarkChain's doublesha256 target: the digest must be strictly below floor(2^256 / d) − 1. */
export function doubleSha256StrictTarget(difficulty: bigint): bigint {
  return powBoundary(difficulty) - 1n;
}

/** The largest valid digest for `algo` at `difficulty` (inclusive bound), clamped to 2^256 − 1; −1 if none. */
export function sealTarget(algo: HashAlgo, difficulty: bigint): bigint {
  const b = powBoundary(difficulty);
  if (algo === 'doublesha256') return b - 2n < NO_TARGET ? NO_TARGET : b - 2n;
  return b > MAX_U256 ? MAX_U256 : b;
}

/** True iff a 32-byte big-endian digest is ≤ the inclusive bound. */
export function meetsTarget(digest: Bytes, target: bigint): boolean {
  if (target < 0n) return false;
  let x = 0n;
  for (let i = 0; i < 32; i++) x = (x << 8n) | BigInt(digest[i]!);
  return x <= target;
}
