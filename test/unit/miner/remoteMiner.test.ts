/** The external miner's pieces: --shards parsing and the xmrig-style speed line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../src/core/errors.js';
import { SpeedMeter } from '../../../src/miner/speed.js';
import { parseShards } from '../../../src/miner/targets.js';

test('miner: --shards all, root, and key lists', () => {
  assert.deepEqual(parseShards('all'), { all: true });
  assert.deepEqual(parseShards('root'), { all: false, root: true, keys: [] });
  assert.deepEqual(parseShards('0x5, 0x6,R'), { all: false, root: true, keys: [5, 6] });
  assert.deepEqual(parseShards('65537'), { all: false, root: false, keys: [0x10001] });
  for (const bad of ['', 'x5', '0x5,foo', '-1']) assert.throws(() => parseShards(bad), (e) => e instanceof ChainError && e.code === 'BAD_FLAG', bad);
});

test('miner: speed windows are n/a until filled; max is the best 10 s rate', () => {
  const m = new SpeedMeter();
  for (let t = 0; t <= 5; t++) m.sample(t, t * 1000);
  assert.equal(m.rate(10), null);
  assert.match(m.line(), /^speed 10s\/60s\/15m n\/a n\/a n\/a H\/s max 0\.00 H\/s$/);
  for (let t = 6; t <= 70; t++) m.sample(t, t <= 30 ? t * 2000 - 5000 : 55_000 + (t - 30) * 1000);
  assert.equal(m.rate(10), 1000);
  assert.equal(Math.round(m.rate(60)!), Math.round((95_000 - 15_000) / 60));
  assert.equal(m.max, 2000);
  assert.match(m.line(), /^speed 10s\/60s\/15m 1\.00 1\.33 n\/a kH\/s max 2\.00 kH\/s$/);
});
