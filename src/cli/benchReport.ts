/**
 * Pure helpers of `shardminer bench`: flag parsing, statistics, the same-run reference and the
 * report (JSON document and the human line). Timing happens in bench.ts, hashing in the sealer pool.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { invalid } from '../core/errors.js';
import type { HashAlgo } from '../consensus/target.js';
import { qkchashCacheForHeight } from '../hashing/qkchash/cache.js';
import { qkchashHashReference } from '../hashing/qkchash/hash.js';
import { benchSealHash, BENCH_HEIGHT } from '../pow/bench.js';

/** Bytes of SHA-256 input per doublesha256 nonce: two 64-byte compression blocks. */
export const BYTES_PER_NONCE = 128;
/** The reference buffer: large enough that per-call overhead vanishes. */
const REFERENCE_BUFFER_BYTES = 16 << 20;
const REFERENCE_MS = 1000;
/** The qkchash reference runs the plain algorithm (a sorted array copied per hash). */
const QKC_REFERENCE_MS = 1500;

export const ALGOS: readonly HashAlgo[] = ['doublesha256', 'qkchash'];

export function parseAlgos(v: string): HashAlgo[] {
  if (v === 'all') return [...ALGOS];
  if ((ALGOS as readonly string[]).includes(v)) return [v as HashAlgo];
  throw invalid('BAD_FLAG', `--algo must be doublesha256, qkchash or all, got '${v}'`);
}

/** `N`, `N,M`, `all` or a mix (`1,all`): distinct thread counts in the order given. */
export function parseThreads(v: string, cores: number = availableParallelism()): number[] {
  const out: number[] = [];
  for (const part of v.split(',')) {
    const n = part.trim() === 'all' ? cores : Number(part);
    if (!Number.isInteger(n) || n < 1 || n > 1024) throw invalid('BAD_FLAG', `--threads takes N, N,M or all, got '${v}'`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

export function parseSeconds(v: string, name: string, min: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw invalid('BAD_FLAG', `--${name} must be a number ≥ ${min}, got '${v}'`);
  return n;
}

export interface Summary { readonly min: number; readonly median: number; readonly max: number }

export function summarize(xs: readonly number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]! };
}

export interface Reference {
  readonly name: string;
  /** Equivalent nonces (or hashes) per second. */
  readonly hashrate: number;
  readonly bytesPerSec?: number;
}

/** Single-stream node:crypto SHA-256 throughput on a large buffer ÷ 128 bytes per nonce. */
export function measureSha256Reference(ms = REFERENCE_MS): Reference {
  const buf = Buffer.alloc(REFERENCE_BUFFER_BYTES, 0x5a);
  createHash('sha256').update(buf).digest();
  let bytes = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    createHash('sha256').update(buf).digest();
    bytes += buf.length;
  }
  const bytesPerSec = bytes / ((performance.now() - t0) / 1000);
  return { name: `node:crypto sha256 single stream (${REFERENCE_BUFFER_BYTES >> 20} MiB buffer) / ${BYTES_PER_NONCE} B per nonce`, hashrate: bytesPerSec / BYTES_PER_NONCE, bytesPerSec };
}

/** The plain QKCHash (sorted array copied per hash, as QuarkChain's reference), one thread. */
export function measureQkchashReference(ms = QKC_REFERENCE_MS): Reference {
  const cache = qkchashCacheForHeight(BENCH_HEIGHT);
  const seal = benchSealHash('qkchash', 0);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) qkchashHashReference(cache, seal, BigInt(n++));
  return { name: 'plain qkchash (sorted array copied per hash), JS, one thread', hashrate: n / ((performance.now() - t0) / 1000) };
}

export interface TrialResult {
  readonly total: number;
  readonly perThread: number[];
  readonly hashes: number;
  readonly wallMs: number;
  /**
   * CPU time the sealer threads got ÷ (wall time × threads): below ~0.95 the machine was shared
   * with other work and wall-time rates understate the kernel (null if unknown).
   */
  readonly cpuShare: number | null;
  /** Hashes per CPU-second of each thread: what the kernel does when it runs (null if unknown). */
  readonly perThreadCpu: number[] | null;
}

/** Below this CPU share the human line warns that the machine was busy. */
export const BUSY_CPU_SHARE = 0.95;

export interface BenchDoc {
  readonly algo: HashAlgo;
  readonly kernel: string;
  readonly variant: string;
  readonly threads: number;
  readonly hashrate: { readonly total: number; readonly perThread: number[]; readonly unit: 'H/s' } & Summary;
  readonly trials: TrialResult[];
  readonly reference: Reference;
  /** Median per-thread rate ÷ reference rate. */
  readonly efficiency: number;
  readonly checksum: string;
  readonly warmupSec: number;
  readonly durationSec: number;
  readonly cpu: { readonly model: string; readonly threads: number; readonly features: Record<string, boolean> | null };
  readonly node: string;
}

export function cpuInfo(features: Record<string, boolean> | null): BenchDoc['cpu'] {
  return { model: cpus()[0]?.model.trim() ?? 'unknown', threads: availableParallelism(), features };
}

/** The trial with the median total (upper median for an even count). */
export function medianTrial(trials: readonly TrialResult[]): TrialResult | undefined {
  const s = [...trials].sort((a, b) => a.total - b.total);
  return s[s.length >> 1]!;
}

/** SI rate with 1000-based prefixes: 51.2 MH/s. */
export function si(rate: number): string {
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s'];
  let u = 0;
  let x = rate;
  while (x >= 1000 && u < units.length - 1) { x /= 1000; u++; }
  return `${x.toFixed(x >= 100 ? 1 : 2)} ${units[u]}`;
}

export function humanLine(d: BenchDoc): string {
  const per = d.hashrate.perThread.map(si).join(' / ');
  const med = medianTrial(d.trials);
  const busy = med && med.cpuShare !== null && med.cpuShare < BUSY_CPU_SHARE
    ? `; machine busy: threads got ${(med.cpuShare * 100).toFixed(0)}% of their wall time (per CPU-second ${med.perThreadCpu!.map(si).join(' / ')})`
    : '';
  return `${d.algo} ${d.kernel} (${d.variant}) threads=${d.threads}: total ${si(d.hashrate.total)} ` +
    `(min ${si(d.hashrate.min)}, median ${si(d.hashrate.median)}, max ${si(d.hashrate.max)} over ${d.trials.length} trials), ` +
    `per thread ${per}; reference ${si(d.reference.hashrate)} → ${d.efficiency.toFixed(2)}× per thread; checksum ${d.checksum}${busy}`;
}
