/**
 * What `stress --report` draws that the text report does not keep: confirmed transfers per
 * second per shard and the process memory, sampled each second while the run goes, and at the
 * end every shard's latency samples (its stress generator keeps them). It reads the node only
 * through the coordinator's status and the shards' `stressReport`.
 */
import { hexId } from '../../core/branch.js';
import type { Coordinator } from '../../cluster/coordinator.js';
import type { StressResult } from '../../cluster/stress.js';

const SAMPLE_MS = 1000;
const MB = 1 << 20;
/** Histogram buckets of the latency in seconds. */
const LATENCY_BUCKETS = 20;

export interface StressSeries {
  readonly shards: string[];
  readonly t: number[];
  /** Per shard: transfers confirmed in the second before each sample. */
  readonly tps: number[][];
  readonly rssMB: number[];
  readonly heapMB: number[];
}

export class StressRecorder {
  private readonly t0 = Date.now();
  private readonly series: StressSeries;
  private last: number[] | null = null;
  private lastT = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly c: Coordinator) {
    this.series = { shards: c.shardIds.map(hexId), t: [], tps: c.shardIds.map(() => []), rssMB: [], heapMB: [] };
  }

  start(): void {
    this.timer = setInterval(() => { void this.sample().catch(() => undefined); }, SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async sample(): Promise<void> {
    const s = await this.c.status();
    const now = (Date.now() - this.t0) / 1000;
    const confirmed = s.shards.map((x) => x.txsConfirmed);
    if (this.last) {
      const dt = Math.max(now - this.lastT, 1e-3);
      this.series.t.push(Math.round(now * 10) / 10);
      confirmed.forEach((v, i) => this.series.tps[i]!.push(Math.round((v - this.last![i]!) / dt)));
      const m = process.memoryUsage();
      this.series.rssMB.push(Math.round(m.rss / MB));
      this.series.heapMB.push(Math.round(m.heapUsed / MB));
    }
    this.last = confirmed;
    this.lastT = now;
  }

  /** Stops sampling and reads the latency samples (the node must still run). */
  async finish(): Promise<{ series: StressSeries; latencySec: number[]; latencyRootBlocks: number[] }> {
    this.stop();
    const reports = await this.c.eachShard((s) => s.stressReport(true));
    return { series: this.series, latencySec: reports.flatMap((r) => r.latencySec), latencyRootBlocks: reports.flatMap((r) => r.latencyRootBlocks) };
  }
}

/** Counts of `values` in `buckets` equal bins (labels: each bin's upper edge). */
export function histogram(values: readonly number[], buckets = LATENCY_BUCKETS): { labels: string[]; counts: number[] } {
  if (values.length === 0) return { labels: [], counts: [] };
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const width = max > 0 ? max / buckets : 1;
  const counts = new Array<number>(buckets).fill(0);
  for (const v of values) counts[Math.min(buckets - 1, Math.floor(v / width))]!++;
  return { labels: counts.map((_, i) => `≤${((i + 1) * width).toFixed(2)}`), counts };
}

/** Counts of integer values (root blocks), labelled by value. */
export function integerCounts(values: readonly number[]): { labels: string[]; counts: number[] } {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  const keys = [...m.keys()].sort((a, b) => a - b);
  return { labels: keys.map(String), counts: keys.map((k) => m.get(k)!) };
}

/** The data of a stress HTML report. */
export function stressReportData(r: StressResult, rec: Awaited<ReturnType<StressRecorder['finish']>>, text: string): { kind: 'stress' } & Record<string, unknown> {
  const rejected = Object.entries(r.rejected);
  return {
    kind: 'stress', generated: new Date().toISOString(), text,
    series: rec.series,
    latencySec: histogram(rec.latencySec), latencyRootBlocks: integerCounts(rec.latencyRootBlocks),
    rejected: { labels: rejected.map(([k]) => k), counts: rejected.map(([, v]) => v) },
    conservation: { ok: r.conservation.ok, line: `balances ${r.conservation.balances} + in flight ${r.conservation.inFlight} = expected ${r.conservation.expected}` },
    lost: r.lost, confirmedTps: r.confirmedTps,
  };
}
