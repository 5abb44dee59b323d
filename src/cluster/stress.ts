/**
 * The stress run (issue 6): starts its own node (real workers, rings and signature checks),
 * drives every shard's load generator, drains, and reports throughput counted from blocks,
 * cross-shard latency (seconds and root blocks), loss and the exact conservation equation.
 */
import { availableParallelism } from 'node:os';
import { defaultConfig, type Config, type PowAlgo } from '../core/config.js';
import { GENESIS_ROOT_HEIGHT } from '../consensus/applyDeposits.js';
import { collectGarbage } from '../core/collectGarbage.js';
import type { Conservation } from '../consensus/conservation.js';
import type { ChainWindow, StressReport, ThreadLoad } from '../shard/protocol.js';
import { Coordinator, type NodeStatus } from './coordinator.js';
import { RateWindow } from './rateWindow.js';

/**
 * Shard target block time of stress runs: with 1 s shard blocks against 10 s root blocks a
 * deposit is applied in the first destination block after its root block in ~90 % of cases
 * (3 s blocks let another root block slip in more often), and smaller blocks keep workers responsive.
 */
export const STRESS_SHARD_BLOCK_TIME = 1;
/**
 * Block gas limit of stress chains (≥ 150 M so a block holds thousands of transfers): 300 M, so
 * its cross-shard half (16,666 deposits) takes a long root interval's deposits in one block.
 */
export const STRESS_GAS_LIMIT = 300_000_000;
/**
 * Headers per shard in one root block: with 1 s shard blocks, the default cap of 32 held back
 * the headers of the long root intervals (4 % of them exceed 32 s at a 10 s mean), a root block of lag.
 */
const STRESS_ROOT_HEADERS_PER_SHARD = 256;
/** Pool size per shard: a few blocks' worth of transfers. */
const STRESS_POOL = 100_000;
/**
 * Total transfers per second and core that `--rate max` is expected to reach (sender recovery
 * runs ~12,500/s per core here, as bench/stress.ts measures, and the data path adds little):
 * sizes the pre-signed stock for the run.
 */
const MAX_RATE_PER_CORE = 8_000;
/** Pre-signed transfers over all shards at most (~181 bytes each, so ~1.5 GB). */
const PRESIGN_TOTAL_CAP = 8_000_000;
/** Stock over the expected consumption, so the window never signs as it goes. */
const PRESIGN_HEADROOM = 1.05;
/** How often process RSS and every thread's heap are sampled. */
const MEMORY_SAMPLE_MS = 5_000;
/** Blocks (and root blocks) of bodies and lists kept behind the confirmed tip in memory. */
const STRESS_RETAIN_BLOCKS = 32;
/** How often the first root block is waited for. */
const ROOT_WAIT_POLL_MS = 100;
/** How often progress and the drain condition are checked. */
const POLL_MS = 1_000;

export interface StressOptions {
  readonly chains: number;
  readonly shards: number;
  readonly accounts: number;
  readonly xshardPercent: number;
  /** Total transfers per second over all shards; 0 = as fast as the node takes them. */
  readonly rate: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly drainTimeoutSec: number;
  readonly algo: PowAlgo;
  readonly datadir: string | null;
  /** Transfers to pre-sign per shard; undefined = enough for the run (capped). */
  readonly presign?: number;
  /** Measure every thread's live heap (after a full GC) at the window's start, middle and end; needs `node --expose-gc`. */
  readonly liveHeap?: boolean;
  /** Invalid transfers injected per shard during the run (tests): stale nonce, no funds, bad signature. */
  readonly injectInvalid?: number;
  /** Target block times in seconds (defaults: the configuration's 10 s root, 3 s shards). */
  readonly rootBlockTime?: number;
  readonly shardBlockTime?: number;
  /** Run every shard on the coordinator's thread (diagnostics: one heap to snapshot; tests). */
  readonly inProcess?: boolean;
  readonly progress?: (p: StressProgress) => void;
  readonly log?: (line: string) => void;
}

export interface StressProgress {
  /** `prepare`: pre-signing; `root`: waiting for the first root block; then the load phases. */
  readonly phase: 'prepare' | 'root' | 'warmup' | 'measure' | 'drain';
  readonly elapsedSec: number;
  readonly submitted: number;
  readonly confirmed: number;
  readonly tps: number;
  readonly pendingDeposits: number;
  readonly pool: number;
  readonly rssMB: number;
  /** Pre-signed transfers not yet submitted (while preparing: how far pre-signing got). */
  readonly presigned: number;
}

export interface Percentiles { readonly p50: number; readonly p95: number; readonly p99: number; readonly min: number; readonly max: number }

export interface StressResult {
  readonly shards: number;
  readonly accounts: number;
  readonly rate: number | 'max';
  readonly window: { readonly start: number; readonly end: number; readonly seconds: number };
  readonly presigned: number;
  readonly presignedUsedAll: boolean;
  readonly submitted: number;
  readonly accepted: number;
  readonly rejected: Record<string, number>;
  readonly confirmedInShard: number;
  readonly confirmedXshard: number;
  readonly confirmedTps: number;
  readonly perShardTps: Record<string, number>;
  readonly xshardShare: number;
  readonly latency: Percentiles;
  readonly latencyRootBlocks: Percentiles;
  /** Where root blocks of latency went: source root → confirming root, confirming root → applying block's root (counts). */
  readonly latencyRootBlocksBreakdown: { readonly confirm: Record<string, number>; readonly apply: Record<string, number> };
  readonly pendingAtEnd: { readonly pool: number; readonly deposits: number };
  readonly lost: number;
  readonly blocks: number;
  readonly rootBlocks: number;
  readonly blockFill: number;
  readonly drained: boolean;
  readonly threads: { readonly name: string; readonly busy: number; readonly heapUsedMB: number; readonly heapTotalMB: number; readonly arrayBuffersMB: number }[];
  readonly peakRssMB: number;
  readonly memory: MemoryReport;
  readonly conservation: { readonly ok: boolean; readonly balances: string; readonly inFlight: string; readonly expected: string };
}

/** Memory over the run: the process RSS (threads share one address space) and each thread's heap peak. */
export interface MemoryReport {
  readonly peakRssMB: number;
  readonly windowStartRssMB: number;
  readonly windowEndRssMB: number;
  /** Least-squares RSS growth over the second half of the measured window (≈ 0 when memory is flat). */
  readonly rssGrowthMBPerMin: number;
  /**
   * Per thread: peak heap used and reserved, and peak ArrayBuffer memory (blocks, lists, the
   * pre-signed stock); reserved heap + array buffers is what the thread adds to the process RSS.
   */
  readonly threads: readonly { readonly name: string; readonly peakHeapUsedMB: number; readonly peakHeapTotalMB: number; readonly peakArrayBuffersMB: number }[];
  /** Live heap per thread (after a full GC) at the window's start, middle and end; null without `liveHeap` and `--expose-gc`. */
  readonly live?: readonly { readonly name: string; readonly startMB: number; readonly midMB: number; readonly endMB: number }[] | null;
}

/** Samples of RSS (kept every MEMORY_SAMPLE_MS: 120 for 10 minutes) and per-thread heap peaks. */
class MemoryTrack {
  readonly rss: { t: number; mb: number }[] = [];
  readonly peaks = new Map<string, { used: number; total: number; buffers: number }>();
  private last = 0;

  due(now: number): boolean {
    return now - this.last >= MEMORY_SAMPLE_MS;
  }

  add(now: number, rssMB: number, threads: readonly { name: string; heapUsedMB: number; heapTotalMB: number; arrayBuffersMB: number }[]): void {
    this.last = now;
    this.rss.push({ t: now / 1000, mb: rssMB });
    for (const th of threads) {
      const p = this.peaks.get(th.name) ?? { used: 0, total: 0, buffers: 0 };
      this.peaks.set(th.name, { used: Math.max(p.used, th.heapUsedMB), total: Math.max(p.total, th.heapTotalMB), buffers: Math.max(p.buffers, th.arrayBuffersMB) });
    }
  }

  report(t0: number, t1: number, peakRssMB: number): MemoryReport {
    const at = (t: number): number => this.rss.reduce((best, x) => (Math.abs(x.t - t) < Math.abs(best.t - t) ? x : best), this.rss[0] ?? { t, mb: 0 }).mb;
    return {
      peakRssMB, windowStartRssMB: at(t0), windowEndRssMB: at(t1),
      rssGrowthMBPerMin: 60 * slope(this.rss.filter((x) => x.t >= (t0 + t1) / 2 && x.t <= t1)),
      threads: [...this.peaks].map(([name, p]) => ({ name, peakHeapUsedMB: p.used, peakHeapTotalMB: p.total, peakArrayBuffersMB: p.buffers })),
    };
  }
}

/** Least-squares slope of mb over t (0 with fewer than 2 points). */
export function slope(points: readonly { t: number; mb: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mm = points.reduce((a, p) => a + p.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) { num += (p.t - mt) * (p.mb - mm); den += (p.t - mt) ** 2; }
  return den > 0 ? num / den : 0;
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0, min: 0, max: 0 };
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number): number => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), min: v[0]!, max: v[v.length - 1]! };
}

export function stressConfig(o: Pick<StressOptions, 'chains' | 'shards' | 'accounts' | 'algo' | 'rootBlockTime' | 'shardBlockTime'>): Config {
  const base = defaultConfig({ chains: o.chains, shards: o.shards, algo: o.algo });
  return {
    ...base,
    root: { ...base.root, targetBlockTime: o.rootBlockTime ?? base.root.targetBlockTime },
    chains: base.chains.map((c) => ({ ...c, consensus: { ...c.consensus, targetBlockTime: o.shardBlockTime ?? STRESS_SHARD_BLOCK_TIME } })),
    gasLimit: STRESS_GAS_LIMIT, xshardGasLimit: STRESS_GAS_LIMIT / 2, devAccounts: o.accounts, devSeed: 'shardminer stress accounts',
    txPoolSize: STRESS_POOL, rootMaxHeadersPerShard: STRESS_ROOT_HEADERS_PER_SHARD,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** How the report names a shard's thread. */
const threadName = (shardId: number): string => `shard 0x${shardId.toString(16)}`;

interface Joined {
  latency: number[]; rootBlocks: number[]; applied: number; included: number; xAccepted: number;
  confirmLag: Record<string, number>; applyLag: Record<string, number>;
}

function addCounts(into: Record<string, number>, from: Readonly<Record<number, number>>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function join(reports: StressReport[]): Joined {
  const out: Joined = { latency: [], rootBlocks: [], applied: 0, included: 0, xAccepted: 0, confirmLag: {}, applyLag: {} };
  for (const r of reports) {
    addCounts(out.confirmLag, r.confirmLag);
    addCounts(out.applyLag, r.applyLag);
    out.applied += r.applied;
    out.included += r.xIncluded;
    out.xAccepted += r.xAccepted;
    for (const v of r.latencySec) out.latency.push(v);
    for (const v of r.latencyRootBlocks) out.rootBlocks.push(v);
  }
  return out;
}

export async function runStress(o: StressOptions): Promise<StressResult> {
  const cfg = stressConfig(o);
  const started = Date.now();
  const elapsed = (): number => (Date.now() - started) / 1000;
  // In memory, old bodies and consumed lists are dropped so memory stays flat on long runs.
  const node = await Coordinator.start({ config: cfg, datadir: o.datadir, log: o.log, retainBlocks: o.datadir ? undefined : STRESS_RETAIN_BLOCKS, inProcess: o.inProcess });
  try {
    const n = node.shards.length;
    const ratePerShard = o.rate > 0 ? o.rate / n : 0;
    // + 1 s: the window starts on the next whole second after the warm-up.
    const runSec = o.warmupSec + o.durationSec + 1;
    const expectedTotal = (o.rate > 0 ? o.rate : MAX_RATE_PER_CORE * availableParallelism()) * runSec * PRESIGN_HEADROOM;
    const presign = o.presign ?? Math.min(Math.ceil(expectedTotal / n), Math.floor(PRESIGN_TOTAL_CAP / n));
    const memory = new MemoryTrack();
    const rssMB = (): number => process.memoryUsage.rss() / 2 ** 20;
    const preparing = (st: NodeStatus, phase: 'prepare' | 'root'): void => {
      const presigned = st.shards.reduce((a, s) => a + s.stressPresigned, 0);
      o.progress?.({ phase, elapsedSec: elapsed(), submitted: 0, confirmed: 0, tps: 0, pendingDeposits: 0, pool: 0, rssMB: rssMB(), presigned });
    };
    const preparation = Promise.all(node.shards.map((s) => s.stressPrepare({ ratePerShard, xshardPercent: o.xshardPercent, presign })));
    // Settles true when pre-signing ends (either way; its error is rethrown just below).
    const prepDone = preparation.then(() => true, () => true);
    while (o.progress) {
      preparing(await node.status(), 'prepare');
      if (await Promise.race([prepDone, sleep(POLL_MS).then(() => false)])) break;
    }
    const prepared = await preparation;
    await node.setMining(true, 0);
    // Cross-shard transfers are valid only once a shard has a root block past genesis (chain_rules
    // §2): load before it would stall every sender behind its first cross-shard nonce.
    for (let st = await node.status(); st.shards.some((s) => s.rootHeight <= GENESIS_ROOT_HEIGHT); st = await node.status()) {
      preparing(st, 'root');
      await sleep(ROOT_WAIT_POLL_MS);
    }
    await Promise.all(node.shards.map((s) => s.stressRun(true)));
    const rate = new RateWindow(10);
    const progress = async (phase: StressProgress['phase']): Promise<void> => {
      if (memory.due(Date.now())) {
        const loads = await Promise.all(node.shards.map((s) => s.load()));
        const m = process.memoryUsage();
        memory.add(Date.now(), m.rss / 2 ** 20, [
          { name: 'coordinator', heapUsedMB: m.heapUsed / 2 ** 20, heapTotalMB: m.heapTotal / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20 },
          ...loads.map((l, i) => ({ name: threadName(node.shards[i]!.shardId), ...l })),
        ]);
      }
      if (!o.progress) return;
      const st = await node.status();
      const pool = st.shards.reduce((a, s) => a + s.poolSize, 0);
      const pending = st.shards.reduce((a, s) => a + s.pendingDeposits, 0);
      const confirmed = st.shards.reduce((a, s) => a + s.txsConfirmed, 0);
      const submitted = st.shards.reduce((a, s) => a + s.stressSubmitted, 0);
      const presigned = st.shards.reduce((a, s) => a + s.stressPresigned, 0);
      rate.add(Date.now() / 1000, confirmed);
      o.progress({ phase, elapsedSec: elapsed(), submitted, confirmed, tps: rate.rate(10), pendingDeposits: pending, pool, rssMB: rssMB(), presigned });
    };
    const phaseUntil = async (phase: StressProgress['phase'], untilMs: number): Promise<void> => {
      while (Date.now() < untilMs) { await sleep(Math.min(POLL_MS, untilMs - Date.now())); await progress(phase); }
    };
    await phaseUntil('warmup', Date.now() + o.warmupSec * 1000);
    const t0 = Math.ceil(Date.now() / 1000);
    await phaseUntil('warmup', t0 * 1000);
    const liveStart = o.liveHeap ? await liveHeaps(node) : null;
    if (o.injectInvalid) await Promise.all(node.shards.map((s) => s.stressInject(o.injectInvalid!)));
    await phaseUntil('measure', (t0 + o.durationSec / 2) * 1000);
    const liveMid = liveStart ? await liveHeaps(node) : null;
    await phaseUntil('measure', (t0 + o.durationSec) * 1000);
    const t1 = t0 + o.durationSec;
    const liveEnd = liveStart ? await liveHeaps(node) : null;
    await Promise.all(node.shards.map((s) => s.stressRun(false)));
    // Drain: every accepted transfer confirmed (cross-shard: deposit applied) or the timeout.
    const drainEnd = Date.now() + o.drainTimeoutSec * 1000;
    let drained = false;
    while (Date.now() < drainEnd) {
      const reports = await Promise.all(node.shards.map((s) => s.stressReport(false)));
      const j = join(reports);
      const pool = reports.reduce((a, r) => a + r.pendingInPool, 0);
      if (pool === 0 && j.applied === j.xAccepted) { drained = true; break; }
      await progress('drain');
      await sleep(POLL_MS);
    }
    await node.setMining(false);
    const reports = await Promise.all(node.shards.map((s) => s.stressReport(true)));
    const windows: ChainWindow[] = await Promise.all(node.shards.map((s) => s.chainWindow(t0, t1)));
    const loads: ThreadLoad[] = await Promise.all(node.shards.map((s) => s.load()));
    const conservation: Conservation = await node.conservation();
    return summarize(o, node, cfg, { reports, windows, loads, conservation, t0, t1, drained, prepared: prepared.reduce((a, p) => a + p.presigned, 0), memory, live: liveStart && liveMid && liveEnd ? { start: liveStart, mid: liveMid, end: liveEnd } : null });
  } finally {
    await node.stop();
  }
}

interface Collected {
  reports: StressReport[]; windows: ChainWindow[]; loads: ThreadLoad[]; conservation: Conservation;
  t0: number; t1: number; drained: boolean; prepared: number; memory: MemoryTrack;
  live: { start: LiveHeap[]; mid: LiveHeap[]; end: LiveHeap[] } | null;
}

interface LiveHeap { readonly name: string; readonly mb: number }

/**
 * Every thread's heap right after a full garbage collection (live data only), or null when the
 * process lacks `--expose-gc`. Taken at the window's start, middle and end: a heap that only
 * holds bounded state shows the same figure in the middle and at the end (the start may still
 * be filling caches).
 */
async function liveHeaps(node: Coordinator): Promise<LiveHeap[] | null> {
  if (!collectGarbage()) return null;
  const main = process.memoryUsage().heapUsed / 2 ** 20;
  const loads = await Promise.all(node.shards.map((s) => s.load(true)));
  return [{ name: 'coordinator', mb: main }, ...loads.map((l, i) => ({ name: threadName(node.shards[i]!.shardId), mb: l.heapUsedMB }))];
}

function summarize(o: StressOptions, node: Coordinator, cfg: Config, c: Collected): StressResult {
  const j = join(c.reports);
  const sum = (f: (r: StressReport) => number): number => c.reports.reduce((a, r) => a + f(r), 0);
  const accepted = sum((r) => r.accepted);
  const included = sum((r) => r.included);
  const pool = sum((r) => r.pendingInPool);
  const rejected: Record<string, number> = {};
  for (const r of c.reports) for (const [k, v] of Object.entries(r.rejected)) rejected[k] = (rejected[k] ?? 0) + v;
  const seconds = c.t1 - c.t0;
  const perShardTps: Record<string, number> = {};
  c.reports.forEach((r, i) => { perShardTps['0x' + r.shardId.toString(16)] = c.windows[i]!.txs / seconds; });
  const txs = c.windows.reduce((a, w) => a + w.txs, 0);
  const gas = c.windows.reduce((a, w) => a + w.gasUsed, 0);
  const gasLimit = c.windows.reduce((a, w) => a + w.gasLimit, 0);
  let rootBlocks = 0;
  for (let e = node.root.tip; e.parent; e = e.parent) if (e.block.header.createTime >= c.t0 && e.block.header.createTime < c.t1) rootBlocks++;
  const memory = process.memoryUsage();
  return {
    shards: c.reports.length, accounts: cfg.devAccounts, rate: o.rate > 0 ? o.rate : 'max',
    window: { start: c.t0, end: c.t1, seconds }, presigned: c.prepared, presignedUsedAll: c.reports.every((r) => r.presignedLeft === 0),
    submitted: sum((r) => r.submitted), accepted, rejected,
    confirmedInShard: included - j.included, confirmedXshard: j.applied,
    confirmedTps: txs / seconds, perShardTps,
    xshardShare: accepted > 0 ? j.xAccepted / accepted : 0,
    latency: percentiles(j.latency), latencyRootBlocks: percentiles(j.rootBlocks),
    latencyRootBlocksBreakdown: { confirm: j.confirmLag, apply: j.applyLag },
    pendingAtEnd: { pool, deposits: j.included - j.applied },
    lost: accepted - included - pool,
    blocks: c.windows.reduce((a, w) => a + w.blocks, 0), rootBlocks, blockFill: gasLimit > 0 ? gas / gasLimit : 0,
    drained: c.drained,
    threads: [
      {
        name: 'coordinator', busy: performance.eventLoopUtilization().utilization, heapUsedMB: memory.heapUsed / 2 ** 20,
        heapTotalMB: memory.heapTotal / 2 ** 20, arrayBuffersMB: memory.arrayBuffers / 2 ** 20,
      },
      ...c.loads.map((l, i) => ({ name: threadName(c.reports[i]!.shardId), ...l })),
    ],
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    memory: { ...c.memory.report(c.t0, c.t1, process.resourceUsage().maxRSS / 1024), live: c.live && c.live.start.map((s, i) => ({ name: s.name, startMB: s.mb, midMB: c.live!.mid[i]!.mb, endMB: c.live!.end[i]!.mb })) },
    conservation: { ok: c.conservation.ok, balances: c.conservation.balances.toString(), inFlight: c.conservation.inFlight.toString(), expected: c.conservation.expected.toString() },
  };
}
