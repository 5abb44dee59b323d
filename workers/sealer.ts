/**
 * Piscina entry of the stateless sealer pool (thin: decode, call src/pow, encode). Tasks (by name):
 * - `sealSlice`: one cooperative slice for the coordinator's SealerPool (src/pow/sealerPool.ts);
 * - `bench` / `checksum`: `shardminer bench` (src/cli/bench.ts, src/pow/bench.ts).
 * One kernel per (algo, kernel choice) is kept per thread.
 */
import type { SealSliceTask, SealSliceResult } from '../src/pow/sealerPool.js';
import { runBench, runChecksum, threadKernel, type BenchResult, type BenchTask, type ChecksumTask } from '../src/pow/bench.js';
import { sealSlice as slice } from '../src/pow/slice.js';

export function sealSlice(t: SealSliceTask): SealSliceResult {
  const r = slice(threadKernel(t.algo, t.kernel).kernel, t, t.maxMs);
  return { found: r.found, hashes: r.hashes, nextNonce: r.nextNonce };
}

export function bench(t: BenchTask): BenchResult {
  return runBench(t);
}

export function checksum(t: ChecksumTask): string {
  return runChecksum(t);
}
