/**
 * CPU per confirmed transfer (issue 16): every thread's CPU clock of this process read at the
 * measured window's start and end (Linux /proc/self/task/TID/schedstat, nanoseconds), split into
 * the shard threads (each reports its OS thread id), the main thread and the rest (V8's GC and
 * compiler helpers, libuv), and divided by the transfers confirmed in the window. The sender
 * recoveries the shard threads ran in the window, per transfer, show that no cache made the
 * signature check free. Other load on the machine barely moves these figures, unlike TPS.
 */
import { readdirSync } from 'node:fs';
import { schedstatNs } from '../pow/threadCpu.js';
import type { ThreadLoad } from '../shard/protocol.js';

/** Nanoseconds per microsecond. */
const NS_PER_US = 1_000;

export interface CpuMark {
  /** CPU ns by OS thread id; null where /proc has no per-thread clocks. */
  readonly clocks: Map<number, number> | null;
  /** Shard threads' OS ids and their recovery counters, as their `load` reported them. */
  readonly shards: readonly Pick<ThreadLoad, 'osThreadId' | 'recoveries'>[];
  /** Transfers in the pools (admitted, not yet in a block). */
  readonly pool: number;
}

export interface CpuReport {
  /** CPU µs per confirmed transfer, whole process, and its split. */
  readonly usPerTx: number;
  readonly shardUsPerTx: number;
  readonly mainUsPerTx: number;
  readonly otherUsPerTx: number;
  /** µs of one sender recovery on this machine, measured in the same run. */
  readonly recoverUs: number;
  /** Sender recoveries the shard threads ran in the window per confirmed transfer. */
  readonly recoveriesPerTx: number;
  /** Transfers confirmed in the window (the divisor). */
  readonly txs: number;
  /**
   * The pools' transfers at the window's start and end: admitted (and recovered) on one side of
   * a window edge, confirmed on the other. Their difference is what moves `recoveriesPerTx` (and
   * the admission part of the CPU) off 1 × on a short window.
   */
  readonly poolAtStart: number;
  readonly poolAtEnd: number;
  /** False where per-thread clocks are unavailable (not Linux): the CPU figures are then 0. */
  readonly measured: boolean;
}

/** Every thread's CPU time in ns (schedstat's first field). */
export function readThreadClocks(): Map<number, number> | null {
  try {
    const out = new Map<number, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      // Null: the thread ended between the listing and the read, its time gone with it.
      const ns = schedstatNs(`/proc/self/task/${tid}/schedstat`);
      if (ns !== null) out.set(Number(tid), ns);
    }
    return out;
  } catch {
    return null;
  }
}

export function cpuMark(loads: readonly ThreadLoad[], pool: number): CpuMark {
  return { clocks: readThreadClocks(), shards: loads.map((l) => ({ osThreadId: l.osThreadId, recoveries: l.recoveries })), pool };
}

export function cpuReport(start: CpuMark, end: CpuMark, txs: number, recoverUs: number): CpuReport {
  const recoveries = end.shards.reduce((a, s, i) => a + s.recoveries - (start.shards[i]?.recoveries ?? 0), 0);
  const per = (x: number): number => (txs > 0 ? x / txs : 0);
  const base = { recoverUs, recoveriesPerTx: per(recoveries), txs, poolAtStart: start.pool, poolAtEnd: end.pool };
  if (!start.clocks || !end.clocks) return { usPerTx: 0, shardUsPerTx: 0, mainUsPerTx: 0, otherUsPerTx: 0, ...base, measured: false };
  const shardTids = new Set(end.shards.map((s) => s.osThreadId).filter((t): t is number => t !== null));
  let shard = 0;
  let main = 0;
  let other = 0;
  for (const [tid, ns] of end.clocks) {
    const us = (ns - (start.clocks.get(tid) ?? 0)) / NS_PER_US;
    // In-process shards run on the main thread: their time counts as the shards'.
    if (shardTids.has(tid)) shard += us;
    else if (tid === process.pid) main += us;
    else other += us;
  }
  return { usPerTx: per(shard + main + other), shardUsPerTx: per(shard), mainUsPerTx: per(main), otherUsPerTx: per(other), ...base, measured: true };
}
