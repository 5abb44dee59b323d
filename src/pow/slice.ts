/**
 * Cooperative sealing: `sealSlice` searches for at most ~maxMs and returns, so a shard worker can
 * yield to its event loop between slices (DESIGN §1: slices ≤ 50 ms).
 */
import { nonceAt } from './job.js';
import { MAX_SEARCH_COUNT, type Kernel, type SealHit } from './types.js';
import type { Bytes } from '../core/bytes.js';

export interface SliceJob {
  readonly sealHash: Bytes;
  /** Inclusive bound (see SealJob.target). */
  readonly target: bigint | Bytes;
  readonly startNonce: bigint;
  readonly height?: number;
}

export interface SliceOptions {
  /** Checked between chunks (every ~maxMs / 4, at most ~20 ms apart); true stops the slice early. */
  readonly shouldStop?: () => boolean;
  /** Milliseconds clock; `performance.now` by default (injectable for tests). */
  readonly now?: () => number;
}

export interface SliceResult {
  readonly found: SealHit | null;
  /** Nonces examined in this slice. */
  readonly hashes: number;
  /** Where the next slice should start: after the hit, or after the last nonce examined. */
  readonly nextNonce: bigint;
  readonly elapsedMs: number;
  /** True iff `shouldStop` ended the slice. */
  readonly stopped: boolean;
}

/** A slice is cut into about this many chunks so the time limit is met within ~25%. */
const CHUNKS_PER_SLICE = 4;
/** First-chunk guesses (hashes per ms) before a kernel has been measured; deliberately low. */
const INITIAL_RATE: Record<Kernel['algo'], number> = { doublesha256: 200, qkchash: 0.5 };
/** Longest chunk: `shouldStop` is polled at least this often (ms), whatever maxMs is. */
const MAX_CHUNK_MS = 20;
/** Weight of the newest measurement in the per-kernel rate estimate. */
const RATE_SMOOTHING = 0.5;
/**
 * Chunks shorter than this are too noisy to measure. Until a kernel has one real measurement,
 * such a chunk multiplies the estimate by RAMP (so a fast kernel is not stuck at the guess);
 * afterwards short chunks (the ends of slices) are ignored.
 */
const MIN_MEASURE_MS = 0.5;
const RAMP = 4;

const rates = new WeakMap<Kernel, number>();
const measured = new WeakSet<Kernel>();

/** The kernel's measured rate in hashes per millisecond (or the initial guess). */
export function kernelRate(kernel: Kernel): number {
  return rates.get(kernel) ?? INITIAL_RATE[kernel.algo];
}

function updateRate(kernel: Kernel, hashes: number, ms: number): void {
  if (hashes === 0) return;
  const old = rates.get(kernel);
  if (ms < MIN_MEASURE_MS) {
    if (!measured.has(kernel)) rates.set(kernel, kernelRate(kernel) * RAMP);
    return;
  }
  const r = hashes / ms;
  rates.set(kernel, old === undefined || !measured.has(kernel) ? r : old * (1 - RATE_SMOOTHING) + r * RATE_SMOOTHING);
  measured.add(kernel);
}

export function sealSlice(kernel: Kernel, job: SliceJob, maxMs: number, opts: SliceOptions = {}): SliceResult {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  let hashes = 0;
  let stopped = false;
  for (;;) {
    if (opts.shouldStop?.()) { stopped = true; break; }
    const elapsed = now() - t0;
    const left = maxMs - elapsed;
    if (left <= 0) break;
    const want = Math.floor(kernelRate(kernel) * Math.min(left, maxMs / CHUNKS_PER_SLICE, MAX_CHUNK_MS));
    const count = Math.min(MAX_SEARCH_COUNT, Math.max(1, want));
    const c0 = now();
    const r = kernel.search({ ...job, startNonce: nonceAt(job.startNonce, hashes), count });
    updateRate(kernel, r.hashes, now() - c0);
    hashes += r.hashes;
    if (r.found) {
      return { found: r.found, hashes, nextNonce: nonceAt(job.startNonce, hashes), elapsedMs: now() - t0, stopped: false };
    }
  }
  return { found: null, hashes, nextNonce: nonceAt(job.startNonce, hashes), elapsedMs: now() - t0, stopped };
}
