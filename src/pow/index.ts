/**
 * Sealing kernels behind one interface (DESIGN §2 `pow/`, issue 4).
 *
 * ## Kernel
 *   const k: Kernel = selectKernel('doublesha256' | 'qkchash', 'auto' | 'native' | 'wasm-simd' | 'js');
 *   k.search({ sealHash, target, startNonce, count, height? }) → { found: { nonce, mixhash, digest } | null, hashes }
 * - `sealHash`: 32 bytes; `target`: the inclusive bound, a bigint in [−1, 2^256−1] or 32 bytes BE
 *   (get it from `sealTarget(algo, difficulty)`: it folds QuarkChain's "< 2^256/d − 1" for
 *   doublesha256 and "≤ 2^256/d" for qkchash into one "digest ≤ target" test);
 *   `startNonce`: u64, nonces wrap mod 2^64; `count`: 0..2^32−1; `height`: required for qkchash.
 * - Returns the first hit in nonce order (every kernel returns the same one) and the number of
 *   nonces examined (`count`, or hit index + 1). Synchronous; never allocates per nonce.
 * - `selectKernel` with 'auto' tries native → wasm-simd → js and writes one line to stderr
 *   (`pow: doublesha256 kernel native (sha-ni x4)`; skipped kernels are named with the reason);
 *   a forced kernel that cannot load throws `KERNEL_UNAVAILABLE`. Kernels hold scratch memory:
 *   use one per thread. There is no wasm-simd qkchash kernel (auto falls through to js).
 * - native (build/pow.node, built by `npm run build`): doublesha256 variants avx512x16, sha-ni x4,
 *   avx2x8, avx2x16, sse2x4 by CPU features; when several are usable the fastest is timed once
 *   per thread. SHARDMINER_NO_NATIVE=1 disables the addon; SHARDMINER_NATIVE_VARIANT forces one.
 * - wasm-simd: module bytes generated at start-up (src/pow/wasm/), 4 lanes.
 * - js: generated fully unrolled code (scripts/gen-sha256-js.mjs → sha256/jsUnrolled.ts).
 * - qkchash (native or js): an order-statistic set undone after each hash, not copied.
 *
 * ## Cooperative sealing for a shard worker's loop (DESIGN §1)
 *   sealSlice(kernel, { sealHash, target, startNonce, height? }, maxMs, { shouldStop?, now? })
 *     → { found, hashes, nextNonce, elapsedMs, stopped }
 * - Searches in chunks sized from the kernel's measured rate (≈ maxMs / 4 each) until ~maxMs has
 *   passed, a hit is found, or `shouldStop()` (checked between chunks; e.g. the shared
 *   work-generation counter changed) returns true. Continue the next slice at `nextNonce` after
 *   yielding to the event loop (`await new Promise(setImmediate)`).
 *
 * ## Checking
 *   checkSeal / doubleSha256Digest / qkchashDigest live in src/consensus/seal.ts (pure).
 */
export type { Kernel, KernelChoice, KernelLoad, KernelName, SealHit, SealJob, SearchResult } from './types.js';
export { KERNEL_NAMES, MAX_SEARCH_COUNT } from './types.js';
export { selectKernel, loadKernel, isKernelChoice, KERNEL_FACTORIES, stderrLog, type LogLine } from './select.js';
export { sealSlice, kernelRate, type SliceJob, type SliceOptions, type SliceResult } from './slice.js';
export { sealTarget, powBoundary, type HashAlgo } from '../consensus/target.js';
