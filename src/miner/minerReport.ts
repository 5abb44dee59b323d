/**
 * What the external miner reports, as data: one `share` per submitted block and a `speed`
 * every 10 s, each with the running share totals. `miner` prints them as text lines or, with
 * `--json`, as NDJSON (one object per line, these fields).
 */
import { WINDOWS_SEC, speedText, type SpeedMeter } from './speed.js';

export interface Shares {
  readonly accepted: number;
  readonly rejected: number;
}

export interface ShareReport {
  readonly type: 'share';
  /** Unix seconds. */
  readonly time: number;
  /** `root` or the full shard id (`0x5`). */
  readonly chain: string;
  readonly height: number;
  readonly accepted: boolean;
  /** This chain's totals, then every chain's. */
  readonly chainShares: Shares;
  readonly shares: Shares;
}

export interface SpeedReport {
  readonly type: 'speed';
  readonly time: number;
  /** Hashes per second over 10 s, 60 s, 15 min (null until that much time was seen). */
  readonly hashrate10s: number | null;
  readonly hashrate60s: number | null;
  readonly hashrate15m: number | null;
  /** The best 10 s rate so far. */
  readonly max: number;
  readonly shares: Shares;
  /** accepted ÷ submitted, null before the first share. */
  readonly acceptRate: number | null;
}

export type MinerReport = ShareReport | SpeedReport;

export function acceptRate(s: Shares): number | null {
  const n = s.accepted + s.rejected;
  return n === 0 ? null : s.accepted / n;
}

export function speedReport(m: SpeedMeter, shares: Shares, nowMs = Date.now()): SpeedReport {
  const [r10, r60, r15m] = WINDOWS_SEC.map((w) => m.rate(w));
  return {
    type: 'speed', time: Math.floor(nowMs / 1000), hashrate10s: r10 ?? null, hashrate60s: r60 ?? null, hashrate15m: r15m ?? null,
    max: m.max, shares, acceptRate: acceptRate(shares),
  };
}

/** `12/13 (92%)`: accepted / submitted and the accept rate. */
function sharesText(s: Shares): string {
  const r = acceptRate(s);
  return `${s.accepted}/${s.accepted + s.rejected} (${r === null ? 'n/a' : `${Math.floor(r * 100)}%`})`;
}

/** `HH:MM:SS` in local time, as xmrig stamps its lines (the JSON lines carry Unix seconds). */
function clock(sec: number): string {
  return new Date(sec * 1000).toTimeString().slice(0, 8);
}

/** One text line: `12:00:01 accepted shard 0x5 height 12 (accepted 12, rejected 0)` or the speed line with shares. */
export function reportLine(r: MinerReport): string {
  if (r.type === 'share') {
    const chain = r.chain === 'root' ? 'root' : `shard ${r.chain}`;
    return `${clock(r.time)} ${r.accepted ? 'accepted' : 'rejected'} ${chain} height ${r.height} (accepted ${r.chainShares.accepted}, rejected ${r.chainShares.rejected})`;
  }
  return `${clock(r.time)} ${speedText([r.hashrate10s, r.hashrate60s, r.hashrate15m], r.max)} shares ${sharesText(r.shares)}`;
}
