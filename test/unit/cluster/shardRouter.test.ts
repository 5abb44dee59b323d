/** Shards by full shard id: lookups, SHARD_UNKNOWN (class invalid) for an id this node does not run, order kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../src/core/errors.js';
import type { Shard } from '../../../src/shard/protocol.js';
import { ShardRouter } from '../../../src/cluster/shardRouter.js';

/** Only the id matters to the router; calling anything else would fail the test. */
const fakeShard = (shardId: number): Shard => ({ shardId }) as Shard;

test('ShardRouter: get/has by full shard id, ids and each in configuration order', async () => {
  const [a, b, c] = [fakeShard(0x10002), fakeShard(0x10003), fakeShard(0x20002)];
  const r = new ShardRouter([a, b, c]);
  assert.deepEqual(r.ids, [0x10002, 0x10003, 0x20002]);
  assert.equal(r.get(0x10003), b);
  assert.equal(r.get(0x20002), c);
  assert.equal(r.has(0x10002), true);
  assert.equal(r.has(2), false, 'a shard index is not a full shard id');
  assert.deepEqual(await r.each(async (s, id) => `${s.shardId === id}:${id.toString(16)}`), ['true:10002', 'true:10003', 'true:20002']);
});

test('ShardRouter: an unknown id is SHARD_UNKNOWN, class invalid, naming the id in hex', () => {
  const r = new ShardRouter([fakeShard(4), fakeShard(5)]);
  for (const id of [0, 1, 6, 0xffffffff]) {
    assert.throws(() => r.get(id), (e: unknown) => e instanceof ChainError && e.code === 'SHARD_UNKNOWN' && e.cls === 'invalid' && e.message.includes(`0x${id.toString(16)}`), String(id));
  }
});

test('ShardRouter: two shards with one id are refused', () => {
  assert.throws(() => new ShardRouter([fakeShard(4), fakeShard(4)]), (e: unknown) => e instanceof ChainError && e.code === 'BAD_CONFIG');
});
