/**
 * `mine`'s live region on a TTY, as a pure function: a status in, lines out, for a terminal of
 * `width` columns (at most MAX_WIDTH are used) and `height` rows. Two lines of totals, then a
 * table with the root and one row per shard; when those rows do not fit the terminal, the shards
 * fold into a summary (and a grid of heights when there is room for it), so the root line never
 * scrolls away. Colour (ANSI SGR) only when asked; every line fits the width without it.
 */
import { type LiveStatus, type ChainLive, type Sealing } from './liveStatus.js';
import { formatAge, formatCount, formatRate, formatTps } from './liveFormat.js';

export type { LiveStatus, ChainLive, Sealing } from './liveStatus.js';

/** The issue's bound: a status region that fits an 80-column terminal. */
export const MAX_WIDTH = 80;
/** log-update leaves the cursor on the line under the region: the region gets one row less. */
const CURSOR_ROWS = 1;
/** A shard in the folded grid: `0x7f 12345` and a gap (7 to a line at 80 columns). */
const GRID_CELL = 11;

export interface ViewOptions {
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
}

interface Column { readonly head: string; readonly width: number; readonly cell: (c: ChainLive) => string }

const dash = (v: number | null, f: (n: number) => string): string => (v === null ? '-' : f(v));

function hashCell(sealing: Sealing, rate: number): string {
  return sealing === 'hashing' ? formatRate(rate) : sealing;
}

/** The table's columns; their widths and single-space gaps sum to 78 columns. */
const COLUMNS: readonly Column[] = [
  { head: 'chain', width: 6, cell: (c) => c.name },
  { head: 'height', width: 8, cell: (c) => String(c.height) },
  { head: 'difficulty', width: 10, cell: (c) => formatCount(Number(c.difficulty)) },
  { head: 'avg block', width: 9, cell: (c) => dash(c.avgBlockSec, (v) => `${v.toFixed(1)}s`) },
  { head: 'last', width: 6, cell: (c) => dash(c.lastBlockAgeSec, formatAge) },
  { head: 'H/s 10s', width: 9, cell: (c) => hashCell(c.sealing, c.hashrate10s) },
  { head: 'TPS', width: 7, cell: (c) => dash(c.tps, formatTps) },
  { head: 'pool', width: 6, cell: (c) => dash(c.pool, String) },
  { head: 'deposits', width: 8, cell: (c) => dash(c.pendingDeposits, String) },
];

const SGR = { bold: '1', dim: '2', yellow: '33', cyan: '36' } as const;

function paint(on: boolean, style: keyof typeof SGR, s: string): string {
  return on ? `\x1b[${SGR[style]}m${s}\x1b[0m` : s;
}

/** Cuts a plain line to `width` columns (the view's own lines are ASCII apart from '…' and '·'). */
function fit(line: string, width: number): string {
  return [...line].length <= width ? line : [...line].slice(0, width - 1).join('') + '…';
}

function row(cells: string[], color: boolean, head = false): string {
  const text = cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i]!.width) : c.padStart(COLUMNS[i]!.width))).join(' ');
  if (!color) return text;
  if (head) return paint(true, 'bold', text);
  const name = COLUMNS[0]!.width;
  return paint(true, 'cyan', text.slice(0, name)) + text.slice(name);
}

const TABLE_WIDTH = COLUMNS.reduce((a, c) => a + c.width, 0) + COLUMNS.length - 1;

function totals(s: LiveStatus, width: number, color: boolean): string[] {
  const sync = s.syncing ? 'syncing' : 'idle';
  const peers = s.peers === null ? 'no p2p' : `peers ${s.peers}`;
  const heights = s.root.height + s.shards.reduce((a, c) => a + c.height, 0);
  const first = `up ${formatAge(s.uptimeSec)} · ${peers} · ${sync} · blocks ${heights} (${s.blocksMined} mined here) · TPS ${formatTps(s.tps)}`;
  const rate = s.sealing === 'hashing'
    ? `hash rate 10s/60s/15m ${s.hashrate.map((r) => (r === null ? 'n/a' : formatRate(r))).join(' ')}`
    : `hash rate: ${s.sealing === 'simulated' ? 'simulated (--algo simulate: no hashing)' : 'remote (sealed by external miners)'}`;
  const second = `${rate} · txs ${s.txsConfirmed}`;
  const lines = [first, second].map((l) => fit(l, width));
  return color && s.syncing ? [lines[0]!.replace(' syncing ', ` ${paint(true, 'yellow', 'syncing')} `), lines[1]!] : lines;
}

function range(values: number[], f: (v: number) => string): string {
  if (values.length === 0) return '-';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? f(lo) : `${f(lo)}..${f(hi)}`;
}

/** The shards in a few lines: ranges and sums, then a grid of heights when `room` allows it. */
function folded(s: LiveStatus, width: number, room: number): string[] {
  const sh = s.shards;
  const known = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
  const sum = (xs: (number | null)[]): number => known(xs).reduce((a, b) => a + b, 0);
  const avg = known(sh.map((c) => c.avgBlockSec));
  const hashing = sh.find((c) => c.sealing !== 'hashing');
  const lines = [
    `${sh.length} shards: height ${range(sh.map((c) => c.height), String)} · avg block ${avg.length ? `${(avg.reduce((a, b) => a + b, 0) / avg.length).toFixed(1)}s` : '-'} · last ${range(known(sh.map((c) => c.lastBlockAgeSec)), formatAge)}`,
    `  H/s 10s ${hashing ? hashing.sealing : formatRate(sum(sh.map((c) => c.hashrate10s)))} · TPS ${formatTps(sum(sh.map((c) => c.tps)))} · pool ${sum(sh.map((c) => c.pool))} · deposits ${sum(sh.map((c) => c.pendingDeposits))}`,
  ].map((l) => fit(l, width));
  const perLine = Math.max(1, Math.floor(width / GRID_CELL));
  const gridLines = Math.ceil(sh.length / perLine);
  if (gridLines + 1 > room - lines.length) {
    lines.push(fit(`  (a row per shard needs ${sh.length + 5} rows: a taller terminal shows them)`, width));
    return lines;
  }
  lines.push('  heights:');
  for (let i = 0; i < sh.length; i += perLine) {
    lines.push(sh.slice(i, i + perLine).map((c) => `${c.name} ${c.height}`.padEnd(GRID_CELL)).join('').trimEnd());
  }
  return lines;
}

/** The region's lines: at most `min(width, MAX_WIDTH)` columns and `height - 1` rows (the totals and the root always show). */
export function renderLive(s: LiveStatus, o: ViewOptions): string[] {
  const width = Math.min(o.width, MAX_WIDTH);
  const rows = Math.max(o.height - CURSOR_ROWS, 0);
  const line = (cells: string[], head = false): string => (width < TABLE_WIDTH ? fit(row(cells, false), width) : row(cells, o.color, head));
  const out = [...totals(s, width, o.color), line(COLUMNS.map((c) => c.head), true), line(COLUMNS.map((c) => c.cell(s.root)))];
  if (out.length + s.shards.length <= rows) return [...out, ...s.shards.map((c) => line(COLUMNS.map((col) => col.cell(c))))];
  return [...out, ...folded(s, width, rows - out.length)];
}
