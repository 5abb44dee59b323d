/**
 * Benchmark work done inside a sealer thread (workers/sealer.ts tasks `bench` and `checksum`)
 * and the deterministic jobs they use. Offline and deterministic: the seal hash is a fixed
 * function of the algorithm and the thread index; nonce ranges of threads never overlap.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { HashAlgo } from '../consensus/target.js';
import { sealTarget } from '../consensus/target.js';
import { selectKernel } from './select.js';
import { sealSlice } from './slice.js';
import type { Kernel, KernelChoice } from './types.js';
import { threadCpuMs } from './threadCpu.js';

/** Bench difficulty: hits are possible but rare, so candidate checks cost what they cost when mining. */
const BENCH_DIFFICULTY = 1n << 48n;
/** Each thread starts 2^40 nonces after the previous one: ranges never overlap within a run. */
const THREAD_NONCE_STRIDE = 1n << 40n;
/** The qkchash bench and checksum use the epoch-0 cache. */
export const BENCH_HEIGHT = 0;
/** Checksum: the first hits at a low difficulty, hashed (xmrig's "hash sum"). */
const CHECKSUM_HITS: Record<HashAlgo, number> = { doublesha256: 8, qkchash: 4 };
const CHECKSUM_DIFFICULTY: Record<HashAlgo, bigint> = { doublesha256: 1n << 12n, qkchash: 4n };
const CHECKSUM_BYTES = 8;

export function benchSealHash(algo: HashAlgo, thread: number): Uint8Array {
  return sha256(new TextEncoder().encode(`shardminer bench ${algo} thread ${thread}`));
}

export interface BenchTask {
  readonly algo: HashAlgo;
  readonly kernel: KernelChoice;
  readonly thread: number;
  readonly durationMs: number;
}

export interface BenchResult {
  readonly hashes: number;
  readonly elapsedMs: number;
  /** CPU time this thread got during the run (null if the platform does not say). */
  readonly cpuMs: number | null;
  readonly kernel: string;
  readonly variant: string;
  /** The selection log line (the main thread prints one for all threads). */
  readonly log: string;
}

export interface ChecksumTask {
  readonly algo: HashAlgo;
  readonly kernel: KernelChoice;
}

const kernels = new Map<string, { kernel: Kernel; log: string }>();

/** One kernel per (algo, choice) per thread; the selection line is kept, not printed. */
export function threadKernel(algo: HashAlgo, choice: KernelChoice): { kernel: Kernel; log: string } {
  const key = `${algo}:${choice}`;
  let k = kernels.get(key);
  if (!k) {
    let log = '';
    const kernel = selectKernel(algo, choice, (l) => { log = l; });
    k = { kernel, log };
    kernels.set(key, k);
  }
  return k;
}

/** Hashes for `durationMs` (sealing slices of ≤ 50 ms, continuing past hits). */
export function runBench(t: BenchTask): BenchResult {
  const { kernel, log } = threadKernel(t.algo, t.kernel);
  const job = { sealHash: benchSealHash(t.algo, t.thread), target: sealTarget(t.algo, BENCH_DIFFICULTY), height: BENCH_HEIGHT };
  let nonce = BigInt(t.thread) * THREAD_NONCE_STRIDE;
  let hashes = 0;
  const c0 = threadCpuMs();
  const t0 = performance.now();
  for (;;) {
    const left = t.durationMs - (performance.now() - t0);
    if (left <= 0) break;
    const r = sealSlice(kernel, { ...job, startNonce: nonce }, Math.min(left, 50));
    hashes += r.hashes;
    nonce = r.nextNonce;
  }
  const elapsedMs = performance.now() - t0;
  const c1 = threadCpuMs();
  return { hashes, elapsedMs, cpuMs: c0 === null || c1 === null ? null : c1 - c0, kernel: kernel.name, variant: kernel.variant, log };
}

/** Hex of the first CHECKSUM_BYTES of sha256 over the first hits (nonce ‖ digest ‖ mixhash). */
export function runChecksum(t: ChecksumTask): string {
  const { kernel } = threadKernel(t.algo, t.kernel);
  const target = sealTarget(t.algo, CHECKSUM_DIFFICULTY[t.algo]);
  const parts: number[] = [];
  let nonce = 0n;
  for (let i = 0; i < CHECKSUM_HITS[t.algo]; i++) {
    const r = kernel.search({ sealHash: benchSealHash(t.algo, 0), target, startNonce: nonce, count: 1 << 20, height: BENCH_HEIGHT });
    if (!r.found) break;
    const n = new Uint8Array(8);
    new DataView(n.buffer).setBigUint64(0, r.found.nonce, false);
    parts.push(...n, ...r.found.digest, ...r.found.mixhash);
    nonce = r.found.nonce + 1n;
  }
  return Buffer.from(sha256(new Uint8Array(parts)).subarray(0, CHECKSUM_BYTES)).toString('hex');
}
