/**
 * `shardminer stress`: signed cross-shard load through its own node, then a report of
 * throughput, latency, loss and conservation. Exits 3 when anything was lost or conservation
 * fails (DESIGN §12).
 */
import { Option, type Command } from 'commander';
import { invalid } from '../core/errors.js';
import { runStressOn, STRESS_SHARD_BLOCK_TIME, stressCoordinatorOptions, type StressOptions, type StressProgress, type StressResult } from '../cluster/stress.js';
import { STOPPED_DRAIN_SEC } from '../cluster/stressConfig.js';
import { withNode } from '../node.js';
import { EXIT_CHECK_FAILED, EXIT_INTERRUPTED } from './exitCodes.js';
import { renderRpcReport, runRpcStress } from './stressRpc.js';
import { writeHtmlReport } from './report/htmlReport.js';
import { StressRecorder, stressReportData } from './report/stressRecorder.js';

interface StressFlags {
  shards: string; chains: string; accounts: string; xshardPercent: string; rate: string; duration: string; warmup: string;
  drainTimeout: string; algo: 'simulate' | 'doublesha256'; shardBlockTime: string; rootBlockTime: string; mem?: boolean; datadir?: string; json?: boolean; presign?: string; rpc?: string; report?: string;
}

function num(v: string, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw invalid('BAD_FLAG', `--${name} must be a number in [${min}, ${max}], got '${v}'`);
  return n;
}

const fmt = (x: number, d = 1): string => x.toFixed(d);
/** Windows shorter than this end before the thread heaps reach their steady size (~3 min at 10,000 TPS). */
const FLATNESS_MIN_WINDOW_SEC = 300;
/** `{1: 900, 2: 100}` → "1: 90.0 %, 2: 10.0 %". */
function counts(c: Record<string, number>): string {
  const total = Object.values(c).reduce((a, v) => a + v, 0);
  return Object.entries(c).sort(([a], [b]) => Number(a) - Number(b)).map(([k, v]) => `${k}: ${fmt((100 * v) / Math.max(1, total))} %`).join(', ') || 'none';
}

export function renderReport(r: StressResult): string {
  const rej = Object.entries(r.rejected).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const rows: [string, string][] = [
    ['shards / accounts', `${r.shards} / ${r.accounts}`],
    ['rate', r.rate === 'max' ? 'max' : `${r.rate} tx/s`],
    ['measured window', `${r.window.seconds} s${r.window.stoppedEarly ? ' (stopped early by Ctrl-C: what was measured until then)' : ''}`],
    ['pre-signed', `${r.presigned} transfers${r.presignedUsedAll ? ' (all used; the rest signed during the run)' : ''}`],
    ['submitted / accepted', `${r.submitted} / ${r.accepted}`],
    ['rejected', rej],
    ['confirmed in-shard / cross-shard', `${r.confirmedInShard} / ${r.confirmedXshard}`],
    ['confirmed TPS (from blocks)', fmt(r.confirmedTps)],
    ['per shard TPS', Object.entries(r.perShardTps).map(([k, v]) => `${k} ${fmt(v, 0)}`).join('  ')],
    ['cross-shard share', `${fmt(r.xshardShare * 100)} %`],
    ['latency p50/p95/p99', `${fmt(r.latency.p50, 2)} / ${fmt(r.latency.p95, 2)} / ${fmt(r.latency.p99, 2)} s`],
    ['latency in root blocks', `${r.latencyRootBlocks.p50} / ${r.latencyRootBlocks.p95} / ${r.latencyRootBlocks.p99} (to confirmation: ${counts(r.latencyRootBlocksBreakdown.confirm)}; then to applying block: ${counts(r.latencyRootBlocksBreakdown.apply)})`],
    ['pending at end', `${r.pendingAtEnd.pool} in pools, ${r.pendingAtEnd.deposits} deposits${r.drained ? '' : ' (drain timed out)'}`],
    ['lost', String(r.lost)],
    ['blocks / root blocks / fill', `${r.blocks} / ${r.rootBlocks} / ${fmt(r.blockFill * 100)} %`],
    ['CPU per confirmed transfer', r.cpu.measured
      ? `${fmt(r.cpu.usPerTx)} µs (shard threads ${fmt(r.cpu.shardUsPerTx)}, main ${fmt(r.cpu.mainUsPerTx)}, V8/libuv helpers ${fmt(r.cpu.otherUsPerTx)}) = ${fmt(r.cpu.usPerTx / r.cpu.recoverUs, 2)} × one sender recovery (${fmt(r.cpu.recoverUs)} µs); ${fmt(r.cpu.recoveriesPerTx, 2)} recoveries per transfer (pools held ${r.cpu.poolAtStart} / ${r.cpu.poolAtEnd} transfers at the window's start / end)`
      : `n/a (no per-thread CPU clocks here); one sender recovery ${fmt(r.cpu.recoverUs)} µs`],
    ['threads busy', r.threads.map((t) => `${t.name} ${fmt(t.busy * 100, 0)}%`).join('  ')],
    ['memory (process RSS)', `peak ${fmt(r.memory.peakRssMB, 0)} MB; window ${fmt(r.memory.windowStartRssMB, 0)} → ${fmt(r.memory.windowEndRssMB, 0)} MB; growth over its second half ${fmt(r.memory.rssGrowthMBPerMin)} MB/min${r.window.seconds < FLATNESS_MIN_WINDOW_SEC ? ' (a short window still holds the heaps\' warm-up of the first minutes: judge flatness with --duration 600)' : ''}`],
    ['peak memory per thread', r.memory.threads.map((t) => `${t.name} ${fmt(t.peakHeapUsedMB, 0)}/${fmt(t.peakHeapTotalMB, 0)} + ${fmt(t.peakArrayBuffersMB, 0)} MB`).join('; ') + ' (heap used/reserved + array buffers)'],
    ...(r.memory.live ? [['live heap after full GC, start / middle / end of window', r.memory.live.map((t) => `${t.name} ${fmt(t.startMB, 0)}/${fmt(t.midMB, 0)}/${fmt(t.endMB, 0)} MB`).join('; ')] as [string, string]] : []),
    ['conservation', `${r.conservation.ok ? 'ok' : 'FAILED'}: balances ${r.conservation.balances} + in flight ${r.conservation.inFlight} = expected ${r.conservation.expected}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

/** A stress run on its own node (started and stopped through src/node.ts): the `stress` command, bench/stress.ts and the tests. */
export function runStress(o: StressOptions): Promise<StressResult> {
  return withNode({ coordinator: stressCoordinatorOptions(o), log: o.log }, (node) => runStressOn(node.coordinator, o));
}

/** `stress --report FILE.html`: the run with a recorder beside it, then the self-contained report. */
async function runStressWithReport(o: StressOptions, file: string): Promise<StressResult> {
  const { r, rec } = await withNode({ coordinator: stressCoordinatorOptions(o), log: o.log }, async (node) => {
    const recorder = new StressRecorder(node.coordinator);
    recorder.start();
    try {
      const result = await runStressOn(node.coordinator, o);
      return { r: result, rec: await recorder.finish() };
    } finally {
      recorder.stop();
    }
  });
  await writeHtmlReport(file, 'shardminer stress', stressReportData(r, rec, renderReport(r)));
  process.stderr.write(`report: ${file}\n`);
  return r;
}

/** Off a TTY, a progress line this often (a TTY redraws one line every second). */
const PLAIN_PROGRESS_SEC = 5;
/** Width of the progress bar on a TTY. */
const BAR_CELLS = 20;

/** `[#######.............]` for the share of the measured window done. */
function bar(done: number): string {
  const n = Math.round(Math.min(1, Math.max(0, done)) * BAR_CELLS);
  return `[${'#'.repeat(n)}${'.'.repeat(BAR_CELLS - n)}]`;
}

function progressLine(p: StressProgress, o: { durationSec: number; warmupSec: number }, tty: boolean): string {
  const left = p.leftSec === undefined ? '' : `  ${fmt(p.leftSec, 0)} s left`;
  const head = `stress ${p.phase.padEnd(7)} ${fmt(p.elapsedSec, 0).padStart(4)}s${tty && p.leftSec !== undefined ? ` ${bar(1 - p.leftSec / (o.warmupSec + o.durationSec))}` : ''}${left}`;
  if (p.phase === 'prepare') return `${head}  pre-signing: ${p.presigned} transfers  rss ${fmt(p.rssMB, 0)} MB`;
  if (p.phase === 'root') return `${head}  ${p.presigned} pre-signed; waiting for the first root block (cross-shard transfers need it)`;
  return `${head}  submitted ${p.submitted}  confirmed ${p.confirmed}  ${fmt(p.tps, 0)} tx/s  pool ${p.pool}  pending deposits ${p.pendingDeposits}  rss ${fmt(p.rssMB, 0)} MB`;
}

export async function runStressCommand(f: StressFlags): Promise<void> {
  if (f.rpc) {
    const r = await runRpcStress({
      url: f.rpc, ratePerSecond: f.rate === 'max' ? 0 : num(f.rate, 'rate', 1), xshardPercent: num(f.xshardPercent, 'xshard-percent', 0, 100),
      durationSec: num(f.duration, 'duration', 1), drainTimeoutSec: num(f.drainTimeout, 'drain-timeout', 1),
    });
    process.stdout.write(f.json ? JSON.stringify(r) + '\n' : renderRpcReport(r) + '\n');
    if (!r.conservation.ok) process.exitCode = EXIT_CHECK_FAILED;
    return;
  }
  const tty = process.stderr.isTTY === true;
  const stop = new AbortController();
  let lastPlain = -Infinity;
  const show = (p: StressProgress): void => {
    if (tty) process.stderr.write(`\r\x1b[2K${progressLine(p, opts, true)}`);
    else if (p.elapsedSec - lastPlain >= PLAIN_PROGRESS_SEC) {
      lastPlain = p.elapsedSec;
      process.stderr.write(`${progressLine(p, opts, false)}\n`);
    }
  };
  const opts: StressOptions = {
    chains: num(f.chains, 'chains', 1, 64), shards: num(f.shards, 'shards', 1, 64), accounts: num(f.accounts, 'accounts', 2, 100_000),
    xshardPercent: num(f.xshardPercent, 'xshard-percent', 0, 100), rate: f.rate === 'max' ? 0 : num(f.rate, 'rate', 1),
    durationSec: num(f.duration, 'duration', 1), warmupSec: num(f.warmup, 'warmup', 0), drainTimeoutSec: num(f.drainTimeout, 'drain-timeout', 1),
    algo: f.algo, datadir: f.mem || !f.datadir ? null : f.datadir,
    shardBlockTime: num(f.shardBlockTime, 'shard-block-time', 1), rootBlockTime: num(f.rootBlockTime, 'root-block-time', 1), presign: f.presign === undefined ? undefined : num(f.presign, 'presign', 0),
    liveHeap: true,
    progress: show,
    log: () => undefined,
    signal: stop.signal,
  };
  process.stderr.write(`stress: expected about ${opts.warmupSec + opts.durationSec} s of load (warm-up ${opts.warmupSec} s, window ${opts.durationSec} s), ` +
    `plus pre-signing and a drain of at most ${opts.drainTimeoutSec} s; Ctrl-C ends it early with a report of what was measured\n`);
  const onSigint = (): void => {
    process.stderr.write(`${tty ? '\n' : ''}stress: stopping: the window ends now; draining for at most ${Math.min(opts.drainTimeoutSec, STOPPED_DRAIN_SEC)} s, then the report (Ctrl-C again quits at once)\n`);
    stop.abort();
    process.once('SIGINT', () => process.exit(EXIT_INTERRUPTED));
  };
  process.once('SIGINT', onSigint);
  let r: StressResult;
  try {
    r = f.report ? await runStressWithReport(opts, f.report) : await runStress(opts);
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (tty) process.stderr.write('\n');
  process.stdout.write(f.json ? JSON.stringify(r) + '\n' : renderReport(r) + '\n');
  if (r.lost !== 0 || !r.conservation.ok) process.exitCode = EXIT_CHECK_FAILED;
}

export function registerStress(program: Command): void {
  program.command('stress').description('push signed cross-shard transfers through a built-in node and report')
    .option('--shards <N>', 'shards per chain', '8')
    .option('--chains <C>', 'chains', '1')
    .option('--accounts <K>', 'funded test accounts, spread over all shards', '1024')
    .option('--xshard-percent <P>', 'share of transfers to other shards', '50')
    .option('--rate <R>', "total transfers per second, or 'max'", 'max')
    .option('--duration <SEC>', 'measured window', '60')
    .option('--warmup <SEC>', 'load before the measured window', '5')
    .option('--drain-timeout <SEC>', 'how long to wait for pending transfers after the window', '120')
    .addOption(new Option('--algo <A>', 'sealing').choices(['simulate', 'doublesha256']).default('simulate'))
    .option('--shard-block-time <SEC>', 'shard target block time (1 s: deposits are applied soon after their root block)', String(STRESS_SHARD_BLOCK_TIME))
    .option('--root-block-time <SEC>', 'root target block time', '10')
    .option('--presign <N>', 'transfers to sign per shard before the window (default: enough for the run, capped)')
    .option('--mem', 'in memory (the default)')
    .option('--datadir <DIR>', 'on-disk LevelDB instead of memory')
    .option('--rpc <URL>', 'drive a running node through createTransactions')
    .option('--json', 'one JSON document on stdout')
    .option('--report <FILE.html>', 'also write a self-contained HTML report (TPS, latency, memory, rejections; opens offline)')
    .action(async (f: StressFlags) => { await runStressCommand(f); });
}
