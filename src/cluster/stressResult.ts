/**
 * A stress run's report: the shards' reports joined (latencies, lags, counts) and summarised
 * into throughput from blocks, cross-shard latency, loss, thread load, memory and conservation.
 */
import type { Config } from '../core/config.js';
import type { Conservation } from '../consensus/conservation.js';
import type { ChainWindow, StressReport, ThreadLoad } from '../shard/protocol.js';
import type { Coordinator } from './coordinator.js';
import type { StressOptions } from './stressConfig.js';
import { cpuReport, type CpuMark, type CpuReport } from './stressCpu.js';
import { threadName, type LiveHeap, type MemoryReport, type MemoryTrack } from './stressMemory.js';

export interface Percentiles { readonly p50: number; readonly p95: number; readonly p99: number; readonly min: number; readonly max: number }

export interface StressResult {
  readonly shards: number;
  readonly accounts: number;
  readonly rate: number | 'max';
  /** `stoppedEarly`: a stop request (Ctrl-C) ended the run before the planned window did. */
  readonly window: { readonly start: number; readonly end: number; readonly seconds: number; readonly stoppedEarly?: boolean };
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
  /** CPU per confirmed transfer over the window, by thread kind, beside one recovery's cost (issue 16). */
  readonly cpu: CpuReport;
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0, min: 0, max: 0 };
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number): number => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), min: v[0]!, max: v[v.length - 1]! };
}

interface Joined {
  latency: number[]; rootBlocks: number[]; applied: number; included: number; xAccepted: number;
  confirmLag: Record<string, number>; applyLag: Record<string, number>;
}

function addCounts(into: Record<string, number>, from: Readonly<Record<number, number>>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function join(reports: StressReport[]): Joined {
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

export interface Collected {
  reports: StressReport[]; windows: ChainWindow[]; loads: ThreadLoad[]; conservation: Conservation; stoppedEarly?: boolean;
  t0: number; t1: number; drained: boolean; prepared: number; memory: MemoryTrack;
  cpu: { start: CpuMark; end: CpuMark; recoverUs: number };
  live: { start: LiveHeap[]; mid: LiveHeap[]; end: LiveHeap[] } | null;
}

export function summarize(o: StressOptions, node: Coordinator, cfg: Config, c: Collected): StressResult {
  const j = join(c.reports);
  const sum = (f: (r: StressReport) => number): number => c.reports.reduce((a, r) => a + f(r), 0);
  const accepted = sum((r) => r.accepted);
  const included = sum((r) => r.included);
  const pool = sum((r) => r.pendingInPool);
  const rejected: Record<string, number> = {};
  for (const r of c.reports) for (const [k, v] of Object.entries(r.rejected)) rejected[k] = (rejected[k] ?? 0) + v;
  const seconds = c.t1 - c.t0;
  const perShardTps: Record<string, number> = {};
  // A window cut to nothing by an early stop holds no block: its rates are 0, not NaN.
  const per = seconds > 0 ? seconds : 1;
  c.reports.forEach((r, i) => { perShardTps['0x' + r.shardId.toString(16)] = c.windows[i]!.txs / per; });
  const txs = c.windows.reduce((a, w) => a + w.txs, 0);
  const gas = c.windows.reduce((a, w) => a + w.gasUsed, 0);
  const gasLimit = c.windows.reduce((a, w) => a + w.gasLimit, 0);
  let rootBlocks = 0;
  for (let e = node.rootTip(); e.parent; e = e.parent) if (e.block.header.createTime >= c.t0 && e.block.header.createTime < c.t1) rootBlocks++;
  const memory = process.memoryUsage();
  return {
    shards: c.reports.length, accounts: cfg.devAccounts, rate: o.rate > 0 ? o.rate : 'max',
    window: { start: c.t0, end: c.t1, seconds, ...(c.stoppedEarly ? { stoppedEarly: true } : {}) }, presigned: c.prepared, presignedUsedAll: c.reports.every((r) => r.presignedLeft === 0),
    submitted: sum((r) => r.submitted), accepted, rejected,
    confirmedInShard: included - j.included, confirmedXshard: j.applied,
    confirmedTps: txs / per, perShardTps,
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
    cpu: cpuReport(c.cpu.start, c.cpu.end, txs, c.cpu.recoverUs),
    conservation: { ok: c.conservation.ok, balances: c.conservation.balances.toString(), inFlight: c.conservation.inFlight.toString(), expected: c.conservation.expected.toString() },
  };
}
