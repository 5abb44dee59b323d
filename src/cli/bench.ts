/**
 * `shardminer bench`: hash rate per algorithm, kernel and thread count, offline and deterministic.
 * Runs the kernels in the sealer Piscina pool (workers/sealer.ts): per thread count a warm-up,
 * then `--trials` timed runs of `--duration` seconds; total = all hashes / wall time. A reference
 * is measured in the same run before the pool starts. Data to stdout (one human line per
 * combination, or `--json`), progress to stderr; exits when done.
 */
import { writeHtmlReport } from './report/htmlReport.js';
import { benchReportData } from './report/benchReportData.js';
import { EXIT_INTERRUPTED } from './exitCodes.js';
import type { Command } from 'commander';
import { Piscina } from 'piscina';
import { internal, invalid, type ErrorCode } from '../core/errors.js';
import type { HashAlgo } from '../consensus/target.js';
import { SEALER_WORKER_URL } from '../pow/sealerPool.js';
import { isKernelChoice } from '../pow/select.js';
import { loadAddon } from '../pow/native/load.js';
import type { KernelChoice } from '../pow/types.js';
import type { BenchResult, BenchTask, ChecksumTask } from '../pow/bench.js';
import {
  cpuInfo, humanLine, measureQkchashReference, measureSha256Reference, medianTrial, parseAlgos, parseSeconds, parseThreads,
  summarize, type BenchDoc, type Reference, type TrialResult,
} from './benchReport.js';

interface BenchFlags {
  algo: string;
  kernel: string;
  threads: string;
  warmup: string;
  duration: string;
  trials: string;
  json?: boolean;
  report?: string;
}

export interface BenchPlan {
  readonly algos: HashAlgo[];
  readonly kernel: KernelChoice;
  readonly threads: number[];
  readonly warmupSec: number;
  readonly durationSec: number;
  readonly trials: number;
}

function plan(f: BenchFlags): BenchPlan {
  if (!isKernelChoice(f.kernel)) throw invalid('BAD_FLAG', `--kernel must be auto, native, wasm-simd or js, got '${f.kernel}'`);
  const trials = Number(f.trials);
  if (!Number.isInteger(trials) || trials < 1) throw invalid('BAD_FLAG', `--trials must be an integer ≥ 1, got '${f.trials}'`);
  return {
    algos: parseAlgos(f.algo), kernel: f.kernel, threads: parseThreads(f.threads),
    warmupSec: parseSeconds(f.warmup, 'warmup', 0), durationSec: parseSeconds(f.duration, 'duration', 0.1), trials,
  };
}

const progress = (line: string): void => { process.stderr.write(`bench: ${line}\n`); };

/** Seconds a reference measurement takes per algorithm (node:crypto or the JS qkchash loop), for the estimate. */
const REFERENCE_SEC = 1;

/** The run's expected wall time: per algorithm a reference, per combination a warm-up and the trials. */
export function expectedSeconds(p: BenchPlan): number {
  return p.algos.length * (REFERENCE_SEC + p.threads.length * (p.warmupSec + p.trials * p.durationSec));
}

const clock = (sec: number): string => (sec >= 60 ? `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s` : `${Math.round(sec)} s`);

async function runTasks(pool: Piscina, algo: HashAlgo, kernel: KernelChoice, threads: number, durationMs: number): Promise<{ results: BenchResult[]; wallMs: number }> {
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: threads }, (_, thread) =>
    pool.run({ algo, kernel, thread, durationMs } satisfies BenchTask, { name: 'bench' }) as Promise<BenchResult>));
  return { results, wallMs: performance.now() - t0 };
}

/** State shared by the combinations of one run: checksums, logged kernels, live pools (for Ctrl-C). */
export interface BenchContext {
  readonly checksums: Map<HashAlgo, string>;
  readonly logged: Set<string>;
  readonly pools: Set<Piscina>;
  interrupted: boolean;
  /** The combination running now and its finished trials (printed when Ctrl-C cuts it short). */
  current: { readonly algo: HashAlgo; readonly threads: number; readonly trials: TrialResult[] } | null;
  /** Seconds of the plan left, for the progress lines. */
  leftSec: number;
}

export function benchContext(leftSec = 0): BenchContext {
  return { checksums: new Map(), logged: new Set(), pools: new Set(), interrupted: false, current: null, leftSec };
}

/** A combination failing with this code (in its message: it may cross a worker as a plain Error) is skipped, not fatal. */
const SKIPPABLE_CODE: ErrorCode = 'KERNEL_UNAVAILABLE';

/** One (algo, kernel, threads) combination in its own pool; also used by bench/hashrate.ts. */
export async function benchOne(p: BenchPlan, algo: HashAlgo, threads: number, reference: Reference, ctx: BenchContext = benchContext()): Promise<BenchDoc> {
  const { checksums: checksumCache, logged } = ctx;
  const pool = new Piscina({ filename: SEALER_WORKER_URL, minThreads: threads, maxThreads: threads, idleTimeout: Number.POSITIVE_INFINITY });
  ctx.pools.add(pool);
  try {
    progress(`${algo} threads=${threads}: warm-up ${p.warmupSec} s (about ${clock(ctx.leftSec)} left)`);
    const warm = await runTasks(pool, algo, p.kernel, threads, p.warmupSec * 1000);
    ctx.leftSec = Math.max(0, ctx.leftSec - p.warmupSec);
    const first = warm.results[0]!;
    if (!logged.has(algo)) { process.stderr.write(`${first.log}\n`); logged.add(algo); }
    let checksum = checksumCache.get(algo);
    if (checksum === undefined) {
      checksum = (await pool.run({ algo, kernel: p.kernel } satisfies ChecksumTask, { name: 'checksum' })) as string;
      checksumCache.set(algo, checksum);
    }
    const trials: TrialResult[] = [];
    ctx.current = { algo, threads, trials };
    for (let i = 0; i < p.trials; i++) {
      const { results, wallMs } = await runTasks(pool, algo, p.kernel, threads, p.durationSec * 1000);
      const hashes = results.reduce((s, r) => s + r.hashes, 0);
      const cpu = results.every((r) => r.cpuMs !== null && r.cpuMs > 0) ? results.map((r) => r.cpuMs!) : null;
      const trial: TrialResult = {
        total: hashes / (wallMs / 1000), perThread: results.map((r) => r.hashes / (r.elapsedMs / 1000)), hashes, wallMs,
        cpuShare: cpu ? cpu.reduce((a, b) => a + b, 0) / (wallMs * threads) : null,
        perThreadCpu: cpu ? results.map((r, k) => r.hashes / (cpu[k]! / 1000)) : null,
      };
      trials.push(trial);
      ctx.leftSec = Math.max(0, ctx.leftSec - p.durationSec);
      progress(`${algo} threads=${threads}: trial ${i + 1}/${p.trials} ${Math.round(trial.total)} H/s (about ${clock(ctx.leftSec)} left)`);
    }
    ctx.current = null;
    const med = medianTrial(trials)!;
    const s = summarize(trials.map((t) => t.total));
    const perThreadMedian = med.total / threads;
    const features = loadAddon();
    return {
      algo, kernel: first.kernel, variant: first.variant, threads,
      hashrate: { total: s.median, perThread: med.perThread, unit: 'H/s', ...s },
      trials, reference, efficiency: perThreadMedian / reference.hashrate, checksum,
      warmupSec: p.warmupSec, durationSec: p.durationSec,
      cpu: cpuInfo('addon' in features ? { ...features.addon.cpu() } : null), node: process.version,
    };
  } finally {
    ctx.pools.delete(pool);
    await pool.destroy();
  }
}

export async function runBench(f: BenchFlags): Promise<void> {
  const p = plan(f);
  const docs: BenchDoc[] = [];
  const ctx = benchContext(expectedSeconds(p));
  progress(`${p.algos.length} algorithm(s) × ${p.threads.length} thread count(s), ${p.trials} trial(s) of ${p.durationSec} s after a ${p.warmupSec} s warm-up each: about ${clock(ctx.leftSec)}`);
  // Ctrl-C: stop the sealer threads (stateless: terminating them loses nothing), print the
  // combinations that finished, exit 130.
  const onSigint = (): void => {
    ctx.interrupted = true;
    progress('interrupted; printing the finished combinations');
    for (const pool of ctx.pools) void pool.destroy();
  };
  process.once('SIGINT', onSigint);
  try {
    outer: for (const algo of p.algos) {
      progress(`${algo}: measuring the reference`);
      const reference = algo === 'doublesha256' ? measureSha256Reference() : measureQkchashReference();
      ctx.leftSec = Math.max(0, ctx.leftSec - REFERENCE_SEC);
      for (const threads of p.threads) {
        let doc: BenchDoc;
        try {
          doc = await benchOne(p, algo, threads, reference, ctx);
        } catch (e) {
          if (ctx.interrupted) break outer;
          // e.g. `--algo all --kernel wasm-simd`: there is no wasm-simd qkchash; skip, say why.
          const msg = e instanceof Error ? e.message : String(e);
          if (!msg.includes(SKIPPABLE_CODE)) throw e;
          progress(`${algo}: skipped: ${msg}`);
          break;
        }
        docs.push(doc);
        if (!f.json) process.stdout.write(humanLine(doc) + '\n');
        if (ctx.interrupted) break outer;
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  const cut = ctx.current;
  if (ctx.interrupted && cut && cut.trials.length > 0) {
    const s = summarize(cut.trials.map((t) => t.total));
    progress(`interrupted: ${cut.algo} threads=${cut.threads} finished ${cut.trials.length}/${p.trials} trials: median ${Math.round(s.median)} H/s (min ${Math.round(s.min)}, max ${Math.round(s.max)})`);
  }
  if (ctx.interrupted) process.exitCode = EXIT_INTERRUPTED;
  else if (docs.length === 0) throw internal('KERNEL_UNAVAILABLE', 'no combination could run (see above)');
  if (f.json && docs.length > 0) process.stdout.write(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n');
  if (f.report && docs.length > 0) {
    await writeHtmlReport(f.report, 'shardminer bench', benchReportData(docs));
    progress(`report: ${f.report}`);
  }
}

export function registerBench(program: Command): void {
  program.command('bench')
    .description('hash rate per algorithm, kernel and thread count (offline, deterministic; exits when done)')
    .option('--algo <A>', 'doublesha256, qkchash or all', 'all')
    .option('--kernel <K>', 'auto, native, wasm-simd or js', 'auto')
    .option('--threads <T>', 'thread counts: N, N,M or all (all = every core)', '1,all')
    .option('--warmup <SEC>', 'warm-up seconds per thread count (not measured)', '3')
    .option('--duration <SEC>', 'seconds per trial', '10')
    .option('--trials <N>', 'timed trials; min/median/max are reported', '3')
    .option('--json', 'print one JSON document (an array when several combinations run)')
    .option('--report <FILE.html>', 'also write a self-contained HTML report (charts; opens offline)')
    .action(async (f: BenchFlags) => { await runBench(f); });
}
