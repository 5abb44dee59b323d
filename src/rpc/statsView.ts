/**
 * QuarkChain's `stats` tool output (interfaces §3): a header, then one row per interval with
 * Timestamp, Syncing, TPS (txCount60s / 60), Pend.TX, Conf.TX (totalTxCount), BPS, SBPS
 * (blockCount60s and staleBlockCount60s / 60), CPU (mean of the node's cores), ROOT and
 * CHAIN/SHARD-HEIGHT (`c/s-h` per shard); also as NDJSON or CSV.
 */
import { isPlainObject } from './json.js';

/** QuarkChain's rates are counts over its 60 s block-time window divided by 60. */
const WINDOW_SEC = 60;

export interface StatsRow {
  readonly timestamp: string;
  readonly syncing: boolean;
  readonly tps: number;
  readonly pendingTx: number;
  readonly confirmedTx: number;
  readonly bps: number;
  readonly sbps: number;
  readonly cpu: number;
  readonly root: number;
  readonly shards: readonly { readonly chain: number; readonly shard: number; readonly height: number }[];
}

export const COLUMNS = ['Timestamp', 'Syncing', 'TPS', 'Pend.TX', 'Conf.TX', 'BPS', 'SBPS', 'CPU', 'ROOT', 'CHAIN/SHARD-HEIGHT'] as const;
const WIDTHS = [20, 8, 9, 8, 10, 7, 7, 6, 7, 0];

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function localTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function rowOf(stats: unknown, at: Date): StatsRow {
  const s = isPlainObject(stats) ? stats : {};
  const cpus = Array.isArray(s.cpus) ? s.cpus.map(num) : [];
  const shards = Array.isArray(s.shards) ? s.shards.filter(isPlainObject) : [];
  return {
    timestamp: localTime(at), syncing: s.syncing === true,
    tps: num(s.txCount60s) / WINDOW_SEC, pendingTx: num(s.pendingTxCount), confirmedTx: num(s.totalTxCount),
    bps: num(s.blockCount60s) / WINDOW_SEC, sbps: num(s.staleBlockCount60s) / WINDOW_SEC,
    cpu: cpus.length ? cpus.reduce((a, b) => a + b, 0) / cpus.length : 0, root: num(s.rootHeight),
    shards: shards.map((x) => ({ chain: num(x.chainId), shard: num(x.shardId), height: num(x.height) })),
  };
}

export function header(stats: unknown, host: string): string {
  const s = isPlainObject(stats) ? stats : {};
  const line = '-'.repeat(100);
  const peers = Array.isArray(s.peers) ? s.peers.join(' ') : '';
  const field = (k: string, v: string): string => `${(k + ':').padEnd(20)}${v}`;
  return [
    line, field('CPU', String(Array.isArray(s.cpus) ? s.cpus.length : 0)), field('IP', host), field('Chains', String(num(s.chainSize))),
    field('Network Id', String(num(s.networkId))), field('Peers', peers), line,
    COLUMNS.map((c, i) => c.padEnd(WIDTHS[i]!)).join(''),
  ].join('\n');
}

function cells(r: StatsRow): string[] {
  return [
    r.timestamp, r.syncing ? 'True' : 'False', r.tps.toFixed(2), String(r.pendingTx), String(r.confirmedTx), r.bps.toFixed(2),
    r.sbps.toFixed(2), r.cpu.toFixed(1), String(r.root), r.shards.map((x) => `${x.chain}/${x.shard}-${x.height}`).join(' '),
  ];
}

export function textRow(r: StatsRow): string {
  return cells(r).map((c, i) => c.padEnd(WIDTHS[i]!)).join('');
}

export function csvHeader(): string {
  return COLUMNS.join(',');
}

export function csvRow(r: StatsRow): string {
  return cells(r).map((c) => (/[,"\s]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}
