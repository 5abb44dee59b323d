/** The stats tool's columns and the token amount helpers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../src/core/errors.js';
import { COLUMNS, csvHeader, csvRow, header, rowOf, textRow } from '../../../src/rpc/statsView.js';
import { formatTokens, parseAmount } from '../../../src/rpc/units.js';

const STATS = {
  networkId: 3, chainSize: 1, rootHeight: 12, syncing: false, txCount60s: 120, pendingTxCount: 4, totalTxCount: 999,
  blockCount60s: 30, staleBlockCount60s: 6, cpus: [10, 30], peers: [],
  shards: [{ chainId: 0, shardId: 0, height: 40 }, { chainId: 0, shardId: 1, height: 41 }],
};

test('stats view: QuarkChain columns, rates over 60 s, c/s-h per shard', () => {
  const r = rowOf(STATS, new Date(2026, 0, 2, 3, 4, 5));
  assert.equal(r.timestamp, '2026-01-02 03:04:05');
  assert.equal(r.tps, 2);
  assert.equal(r.bps, 0.5);
  assert.equal(r.sbps, 0.1);
  assert.equal(r.cpu, 20);
  const line = textRow(r);
  assert.match(line, /^2026-01-02 03:04:05\s+False\s+2\.00\s+4\s+999\s+0\.50\s+0\.10\s+20\.0\s+12\s+0\/0-40 0\/1-41$/);
  const h = header(STATS, '127.0.0.1');
  for (const c of COLUMNS) assert.ok(h.includes(c), c);
  assert.match(h, /Network Id:\s+3/);
  assert.equal(csvHeader(), 'Timestamp,Syncing,TPS,Pend.TX,Conf.TX,BPS,SBPS,CPU,ROOT,CHAIN/SHARD-HEIGHT');
  assert.equal(csvRow(r), '"2026-01-02 03:04:05",False,2.00,4,999,0.50,0.10,20.0,12,"0/0-40 0/1-41"');
  assert.equal(rowOf(null, new Date()).root, 0, 'a malformed reply gives zeros, not a crash');
});

test('units: smallest units and token amounts', () => {
  assert.equal(parseAmount('1000', 'value'), 1000n);
  assert.equal(parseAmount('1.5qkc', 'value'), 1_500_000_000_000_000_000n);
  assert.equal(parseAmount('2 QKC', 'value'), 2_000_000_000_000_000_000n);
  for (const bad of ['1.5', '-1', 'abc', '1eth', '0.' + '1'.repeat(19) + 'qkc']) assert.throws(() => parseAmount(bad, 'value'), (e) => e instanceof ChainError && e.code === 'BAD_FLAG', bad);
  assert.equal(formatTokens(1_500_000_000_000_000_000n), '1.5');
  assert.equal(formatTokens(3n * 10n ** 18n), '3');
  assert.equal(formatTokens(1n), '0.000000000000000001');
});
