/**
 * The one kernel interface shared by every sealing kernel (see src/pow/index.ts for the API).
 */
import type { Bytes } from '../core/bytes.js';
import type { HashAlgo } from '../consensus/target.js';

export type KernelName = 'native' | 'wasm-simd' | 'js';
export type KernelChoice = KernelName | 'auto';
export const KERNEL_NAMES: readonly KernelName[] = ['native', 'wasm-simd', 'js'];

/** A kernel, or why it cannot be used on this machine. */
export type KernelLoad = { readonly kernel: Kernel } | { readonly error: string };

/** One search: nonces startNonce, startNonce + 1, … (mod 2^64), `count` of them. */
export interface SealJob {
  /** The 32-byte seal hash (header hash without nonce and mixhash). */
  readonly sealHash: Bytes;
  /**
   * Inclusive bound: a nonce is a hit iff its digest (256-bit big-endian) ≤ target.
   * A bigint in [−1, 2^256 − 1] (−1: nothing is a hit) or 32 bytes big-endian.
   * Use `sealTarget(algo, difficulty)` from src/consensus/target.ts to get it.
   */
  readonly target: bigint | Bytes;
  /** First nonce (u64). */
  readonly startNonce: bigint;
  /** Nonces to try: an integer in [0, MAX_SEARCH_COUNT]. */
  readonly count: number;
  /** Block height: selects the qkchash epoch cache (⌊height / 30000⌋); ignored by doublesha256. */
  readonly height?: number;
}

export interface SealHit {
  readonly nonce: bigint;
  /** Zero for doublesha256; the qkchash mix for qkchash. */
  readonly mixhash: Bytes;
  /** The final digest compared with the target (double SHA-256, or the qkchash result). */
  readonly digest: Bytes;
}

export interface SearchResult {
  /** The first hit in nonce order, or null. */
  readonly found: SealHit | null;
  /** Nonces examined: `count`, or (index of the hit + 1). */
  readonly hashes: number;
}

export interface Kernel {
  readonly name: KernelName;
  readonly algo: HashAlgo;
  /** Implementation detail for logs, e.g. `avx2x8`, `sha-ni x4`, `simd128 x4`. */
  readonly variant: string;
  search(job: SealJob): SearchResult;
}

/** Largest `count` for one search call: the nonce low word is walked without a 53-bit overflow. */
export const MAX_SEARCH_COUNT = 0xffffffff;
