/** `mine`'s status lines: NDJSON (`--json`) and plain lines (stdout off a TTY); the live region is liveView.ts. */
import { toHex } from '../core/bytes.js';
import { hexId } from '../core/branch.js';
import type { NodeStatus } from '../cluster/coordinator.js';
import { RateWindow } from '../cluster/rateWindow.js';

export interface StatusLine {
  type: 'status' | 'final';
  time: number;
  root: { height: number; hash: string; hashrate10s: number };
  /** `mined`: blocks this node sealed, or accepted from its external miners, since it started. */
  shards: { fullShardId: string; height: number; hash: string; hashrate10s: number; hashrate60s: number; pendingDeposits: number; lastBlockAge: number; txs: number; pool: number; mined: number }[];
}

export class StatusTracker {
  private readonly rates = new Map<number, RateWindow>();
  private readonly root = new RateWindow();

  sample(s: NodeStatus, nowMs = Date.now()): void {
    const t = nowMs / 1000;
    this.root.add(t, s.root.hashes);
    for (const sh of s.shards) {
      let w = this.rates.get(sh.shardId);
      if (!w) { w = new RateWindow(); this.rates.set(sh.shardId, w); }
      w.add(t, sh.hashes);
    }
  }

  line(type: StatusLine['type'], s: NodeStatus): StatusLine {
    return {
      type, time: s.time,
      root: { height: s.root.height, hash: toHex(s.root.hash), hashrate10s: Math.round(this.root.rate(10)) },
      shards: s.shards.map((sh) => {
        const w = this.rates.get(sh.shardId);
        return {
          fullShardId: hexId(sh.shardId), height: sh.tip.height, hash: toHex(sh.tip.hash),
          hashrate10s: Math.round(w?.rate(10) ?? 0), hashrate60s: Math.round(w?.rate(60) ?? 0),
          pendingDeposits: sh.pendingDeposits, lastBlockAge: Math.max(s.time - sh.tip.createTime, 0), txs: sh.txsConfirmed, pool: sh.poolSize,
          mined: sh.blocksMined,
        };
      }),
    };
  }
}

function formatRate(hs: number): string {
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s'];
  let v = hs;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v.toFixed(i === 0 ? 0 : 2)} ${units[i]}`;
}

export function renderPlain(l: StatusLine): string {
  const shards = l.shards.map((s) => `${s.fullShardId}:${s.height}`).join(' ');
  const rate = l.shards.reduce((a, s) => a + s.hashrate10s, 0) + l.root.hashrate10s;
  return `${new Date(l.time * 1000).toISOString()} root ${l.root.height} shards ${shards} speed 10s ${formatRate(rate)} pending deposits ${l.shards.reduce((a, s) => a + s.pendingDeposits, 0)}`;
}
