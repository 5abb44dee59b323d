/**
 * Node-side figures for QuarkChain's `getStats` that no shard keeps: per-core CPU use between
 * two calls, and `txCountHistory` (transactions per minute of block time over 12 hours, from
 * the coordinator's block events; like QuarkChain it counts every added block, forks included).
 */
import { cpus, type CpuInfo } from 'node:os';
import type { CoordinatorEvents } from '../cluster/coordinator.js';
import type { EventSource } from '../core/emitter.js';
import type { BlockEvent } from '../shard/protocol.js';
import { decodeMinorHeader } from '../core/minorBlock.js';

/** QuarkChain keeps 12 hours of per-minute counts. */
const HISTORY_MINUTES = 12 * 60;
const SEC_PER_MIN = 60;

interface Minute { txCount: number; xShardTxCount: number }

function busyIdle(c: CpuInfo): { busy: number; total: number } {
  const t = c.times;
  const total = t.user + t.nice + t.sys + t.idle + t.irq;
  return { busy: total - t.idle, total };
}

export class NodeStats {
  private lastCpus: CpuInfo[] = cpus();
  private readonly minutes = new Map<number, Minute>();
  private readonly unsubscribe: () => void;

  constructor(events: EventSource<CoordinatorEvents>) {
    this.unsubscribe = events.on('block', (_shard: number, ev: BlockEvent) => this.onBlock(ev));
  }

  private onBlock(ev: BlockEvent): void {
    const minute = Math.floor(decodeMinorHeader(ev.header).createTime / SEC_PER_MIN) * SEC_PER_MIN;
    const m = this.minutes.get(minute) ?? { txCount: 0, xShardTxCount: 0 };
    m.txCount += ev.txCount;
    m.xShardTxCount += ev.appliedDeposits;
    this.minutes.set(minute, m);
    const oldest = minute - HISTORY_MINUTES * SEC_PER_MIN;
    for (const k of this.minutes.keys()) if (k <= oldest) this.minutes.delete(k);
  }

  /** Per-core busy percentage since the previous call (or since start). */
  cpuPercents(): number[] {
    const now = cpus();
    const out = now.map((c, i) => {
      const a = busyIdle(c);
      const prev = this.lastCpus[i];
      const b = prev ? busyIdle(prev) : { busy: 0, total: 0 };
      const dt = a.total - b.total;
      return dt > 0 ? Math.round(((a.busy - b.busy) / dt) * 1000) / 10 : 0;
    });
    this.lastCpus = now;
    return out;
  }

  /** `{timestamp, txCount, xShardTxCount}` per minute, oldest first (xShardTxCount: deposits applied). */
  txCountHistory(): { timestamp: number; txCount: number; xShardTxCount: number }[] {
    return [...this.minutes.entries()].sort((a, b) => a[0] - b[0]).map(([timestamp, m]) => ({ timestamp, ...m }));
  }

  close(): void {
    this.unsubscribe();
  }
}
