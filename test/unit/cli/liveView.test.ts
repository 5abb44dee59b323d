/**
 * `mine`'s live view as a pure function (issue 15 item 1): at 80 columns with 4 shards the whole
 * table; with 64 shards the fold (root row kept, within the rows); `simulated`/`remote` instead of
 * `0 H/s`; no age for a genesis tip; colour only when asked, and never with NO_COLOR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullShardId, hexId } from '../../../src/core/branch.js';
import type { NodeStatus } from '../../../src/cluster/coordinator.js';
import { LiveTracker, type Sealing } from '../../../src/cli/liveStatus.js';
import { colorWanted, wrapLine } from '../../../src/cli/liveTerminal.js';
import { renderLive, type LiveStatus } from '../../../src/cli/liveView.js';

const ANSI = /\x1b\[[0-9;]*m/g;
const plain = (l: string): string => l.replace(ANSI, '');
const cols = (l: string): number => [...plain(l)].length;
/** The genesis timestamp is a fixed date long ago: its age is what the issue saw as "96411170s ago". */
const GENESIS_TIME = 1_700_000_000;
const NOW = GENESIS_TIME + 96_411_170;

function nodeStatus(shards: number, height: number, hashes = 0): NodeStatus {
  const tipTime = height === 0 ? GENESIS_TIME : NOW - 3;
  return {
    time: NOW,
    root: { height: Math.floor(height / 4), hash: new Uint8Array(32), hashes, difficulty: 1_600_000_000n, createTime: height === 0 ? GENESIS_TIME : NOW - 7 },
    shards: Array.from({ length: shards }, (_, i) => ({
      shardId: fullShardId(0, shards, i), tip: { height: height === 0 ? 0 : height + i, hash: new Uint8Array(32), createTime: tipTime }, difficulty: 30_000_000n + BigInt(i),
      rootHeight: 0, confirmedHeight: 0, poolSize: 12, pendingDeposits: 3, hashes, mining: true, txsConfirmed: 40 * height, stressSubmitted: 0,
      stressPresigned: 0, blocksMined: height,
    })),
  };
}

/** A tracker sampled twice 10 s apart (1 MH/s per chain), with a few tips seen 10 s apart. */
function live(shards: number, sealing: Sealing = 'hashing', height = 120): LiveStatus {
  const t = new LiveTracker(() => sealing, 0);
  t.sample(nodeStatus(shards, height - 1, 0), 0);
  t.sample(nodeStatus(shards, height, 10_000_000), 10_000);
  for (const name of ['root', hexId(fullShardId(0, shards, 0)), hexId(fullShardId(0, shards, 1))]) for (let k = 0; k < 3; k++) t.tip(name, NOW - 30 + 10 * k);
  return t.status(nodeStatus(shards, height, 10_000_000), { peers: 2, syncing: false }, 65_000);
}

test('live view: 4 shards at 80 columns show totals, the root and every shard, each line within 80 columns', () => {
  const lines = renderLive(live(4), { width: 80, height: 24, color: false });
  for (const l of lines) assert.ok(cols(l) <= 80, `${cols(l)} columns: ${l}`);
  assert.equal(lines.length, 2 + 1 + 1 + 4);
  assert.match(lines[0]!, /^up 1m05s · peers 2 · idle · blocks \d+ \(480 mined here\) · TPS /);
  assert.match(lines[1]!, /^hash rate 10s\/60s\/15m 5\.00 MH\/s n\/a n\/a · txs 19200$/);
  assert.match(lines[2]!, /^chain\s+height\s+difficulty\s+avg block\s+last\s+H\/s 10s\s+TPS\s+pool\s+deposits$/);
  assert.match(lines[3]!, /^root\s+30\s+1\.60G\s+10\.0s\s+7s\s+1\.00 MH\/s\s+-\s+-\s+-$/);
  assert.match(lines[4]!, /^0x4\s+120\s+30\.0M\s+10\.0s\s+3s\s+1\.00 MH\/s\s+4\.00\s+12\s+3$/);
  assert.deepEqual(lines.slice(4).map((l) => l.split(/\s+/)[0]), ['0x4', '0x5', '0x6', '0x7']);
  // A narrower terminal: still within its width.
  for (const l of renderLive(live(4), { width: 60, height: 24, color: false })) assert.ok(cols(l) <= 60, l);
});

test('live view: 64 shards fold into a summary that keeps the root row and fits the rows; a grid of heights when there is room', () => {
  const rows = 24;
  const lines = renderLive(live(64), { width: 80, height: rows, color: false });
  assert.ok(lines.length <= rows - 1, `${lines.length} lines for ${rows} rows`);
  for (const l of lines) assert.ok(cols(l) <= 80, l);
  assert.match(lines[3]!, /^root\s+30\s/, 'the root row stays');
  assert.ok(!lines.some((l) => /^0x4\s+120\s/.test(l)), 'no per-shard rows');
  assert.match(lines[4]!, /^64 shards: height 120\.\.183 · avg block 10\.0s · last 3s$/);
  assert.match(lines[5]!, /^ {2}H\/s 10s 64\.0 MH\/s · TPS 256 · pool 768 · deposits 192$/);
  assert.ok(lines.some((l) => l.startsWith('0x40 120') && l.includes('0x46 126') && !l.includes('0x47')), 'the grid lists id and height');
  // Too few rows for the grid: the summary says so instead.
  const small = renderLive(live(64), { width: 80, height: 12, color: false });
  assert.ok(small.length <= 11);
  assert.match(small[small.length - 1]!, /a row per shard needs 69 rows/);
  // The same 64 shards on a tall terminal: a row each.
  assert.equal(renderLive(live(64), { width: 80, height: 80, color: false }).length, 4 + 64);
});

test('live view: simulated and remote chains say so instead of 0 H/s', () => {
  for (const sealing of ['simulated', 'remote'] as const) {
    const lines = renderLive(live(4, sealing), { width: 80, height: 24, color: false });
    assert.ok(!lines.some((l) => l.includes('0 H/s')), lines.join('\n'));
    assert.match(lines[1]!, new RegExp(`^hash rate: ${sealing} `));
    for (const l of lines.slice(3)) assert.match(l, new RegExp(`\\s${sealing}\\s`), l);
    const folded = renderLive(live(64, sealing), { width: 80, height: 24, color: false });
    assert.match(folded[5]!, new RegExp(`H/s 10s ${sealing} `));
  }
});

test('live view: a genesis tip has no age (-), not the years since the genesis timestamp', () => {
  const lines = renderLive(live(4, 'hashing', 0), { width: 80, height: 24, color: false });
  for (const l of lines.slice(3)) {
    assert.equal(l.trim().split(/\s+/)[4], '-', l);
  }
  assert.ok(!lines.join('\n').includes('96411'), lines.join('\n'));
  assert.ok(!lines.some((l) => /\d+d\d\dh/.test(l)), 'no age in days');
});

test('live view: colour only when asked; NO_COLOR (non-empty) turns it off; the text is the same without it', () => {
  assert.equal(colorWanted(true, {}), true);
  assert.equal(colorWanted(false, {}), false, 'not on a pipe');
  assert.equal(colorWanted(true, { NO_COLOR: '1' }), false);
  assert.equal(colorWanted(true, { NO_COLOR: '' }), true, 'no-color.org: an empty NO_COLOR is as if unset');
  const s = live(4);
  const on = renderLive(s, { width: 80, height: 24, color: true });
  const off = renderLive(s, { width: 80, height: 24, color: false });
  assert.ok(on.some((l) => ANSI.test(l)));
  assert.ok(!off.some((l) => l.includes('\x1b')));
  assert.deepEqual(on.map(plain), off);
});

test('live view: events wrap within the width with an indent', () => {
  const line = 'p2p: cannot connect to ws://127.0.0.1:38291: P2P_CONFIG_MISMATCH: the peer has another configuration: root.algo is simulate there';
  const out = wrapLine(line, 80);
  assert.ok(out.length > 1 && out.every((l) => l.length <= 80), out.join('\n'));
  assert.equal(out.map((l) => l.trim()).join(' '), line);
  assert.ok(out.slice(1).every((l) => l.startsWith('    ')));
});
