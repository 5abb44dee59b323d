/**
 * Memory over a stress run: process RSS samples and per-thread heap peaks (MemoryTrack), the RSS
 * growth over the window's second half, and every thread's live heap after a full GC.
 */
import { collectGarbage } from '../core/collectGarbage.js';
import type { Coordinator } from './coordinator.js';

/** How often process RSS and every thread's heap are sampled. */
export const MEMORY_SAMPLE_MS = 5_000;
/** How the report names a shard's thread. */
export const threadName = (shardId: number): string => `shard 0x${shardId.toString(16)}`;

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
export class MemoryTrack {
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

export interface LiveHeap { readonly name: string; readonly mb: number }

/**
 * Every thread's heap right after a full garbage collection (live data only), or null when the
 * process lacks `--expose-gc`. Taken at the window's start, middle and end: a heap that only
 * holds bounded state shows the same figure in the middle and at the end (the start may still
 * be filling caches).
 */
export async function liveHeaps(c: Coordinator): Promise<LiveHeap[] | null> {
  if (!collectGarbage()) return null;
  const main = process.memoryUsage().heapUsed / 2 ** 20;
  const loads = await c.eachShard((s, id) => s.load(true).then((l) => ({ name: threadName(id), mb: l.heapUsedMB })));
  return [{ name: 'coordinator', mb: main }, ...loads];
}
