import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chainIdOf, defaultKeyOf, fullShardId, hexId, isPowerOfTwo, keyToFullShardId, parseBranch,
} from '../../../src/core/branch.js';
import { expectCode } from './codecFixtures.js';

/** Shard sizes per chain for the key-mapping tests: chain 0 has 4 shards, chain 1 has 4, chain 2 has 1. */
const SIZES = new Map<number, number>([[0, 4], [1, 4], [2, 1]]);
const sizeOf = (c: number): number | undefined => SIZES.get(c);

test('branch: QuarkChain full shard id vectors', () => {
  assert.equal(fullShardId(0, 1, 0), 1);
  assert.equal(fullShardId(0, 2, 1), 3);
  assert.equal(fullShardId(0, 2, 0), 2);
  assert.equal(fullShardId(1, 1, 0), 0x00010001);
  assert.deepEqual([0, 1, 2, 3].map((s) => fullShardId(0, 4, s)), [0x4, 0x5, 0x6, 0x7]);
  assert.equal(fullShardId(0xffff, 0x8000, 0x7fff), 0xffffffff);
});

test('branch: parseBranch inverts fullShardId', () => {
  assert.deepEqual(parseBranch(1), { chainId: 0, shardSize: 1, shardId: 0 });
  assert.deepEqual(parseBranch(3), { chainId: 0, shardSize: 2, shardId: 1 });
  assert.deepEqual(parseBranch(0x00010001), { chainId: 1, shardSize: 1, shardId: 0 });
  assert.deepEqual(parseBranch(0x7), { chainId: 0, shardSize: 4, shardId: 3 });
  assert.deepEqual(parseBranch(0xffffffff), { chainId: 0xffff, shardSize: 0x8000, shardId: 0x7fff });
  for (const chainId of [0, 1, 2, 255, 0xffff]) {
    for (let log = 0; log <= 15; log++) {
      const size = 1 << log;
      for (const shardId of new Set([0, size >> 1, size - 1])) {
        const id = fullShardId(chainId, size, shardId);
        assert.deepEqual(parseBranch(id), { chainId, shardSize: size, shardId }, hexId(id));
        assert.equal(chainIdOf(id), chainId);
      }
    }
  }
});

test('branch: keyToFullShardId maps any key of a chain to its shard', () => {
  assert.equal(keyToFullShardId(0x12345, sizeOf), 0x00010005, 'chain 1, 0x2345 & 3 = 1');
  assert.equal(keyToFullShardId(0x10000, sizeOf), 0x00010004);
  assert.equal(keyToFullShardId(0x1ffff, sizeOf), 0x00010007);
  assert.equal(keyToFullShardId(0x0, sizeOf), 0x4);
  assert.equal(keyToFullShardId(0x6, sizeOf), 0x6);
  assert.equal(keyToFullShardId(0xabcd, sizeOf), 0x5, '0xabcd & 3 = 1');
  assert.equal(keyToFullShardId(0x2ffff, sizeOf), 0x00020001, 'a one-shard chain takes every key');
  for (let key = 0x10000; key < 0x10040; key++) {
    const b = parseBranch(keyToFullShardId(key, sizeOf));
    assert.equal(b.chainId, 1);
    assert.equal(b.shardId, key & 3);
  }
});

test('branch: a key naming a missing chain is UNKNOWN_CHAIN', () => {
  expectCode(() => keyToFullShardId(0x30000, sizeOf), 'UNKNOWN_CHAIN');
  expectCode(() => keyToFullShardId(0xffff0000, sizeOf), 'UNKNOWN_CHAIN');
});

test('branch: defaultKeyOf is the smallest key of the shard and maps back to it', () => {
  assert.equal(defaultKeyOf(0x00010005), 0x00010001);
  assert.equal(defaultKeyOf(0x4), 0);
  assert.equal(defaultKeyOf(0x7), 3);
  for (const id of [0x4, 0x5, 0x6, 0x7, 0x00010004, 0x00010007, 0x00020001]) {
    assert.equal(keyToFullShardId(defaultKeyOf(id), sizeOf), id);
  }
});

test('branch: bad ids and parameters are BAD_BRANCH', () => {
  for (const id of [0, 0x10000, 0xffff0000, -1, 2 ** 32, 1.5, Number.NaN]) {
    expectCode(() => parseBranch(id), 'BAD_BRANCH', String(id));
  }
  expectCode(() => defaultKeyOf(0x20000), 'BAD_BRANCH');
  expectCode(() => fullShardId(0, 3, 0), 'BAD_BRANCH', 'size not a power of two');
  expectCode(() => fullShardId(0, 0, 0), 'BAD_BRANCH', 'size zero');
  expectCode(() => fullShardId(0, 0x10000, 0), 'BAD_BRANCH', 'size over 32768 would overflow into the chain bits');
  expectCode(() => fullShardId(0, 4, 4), 'BAD_BRANCH', 'shard id not below size');
  expectCode(() => fullShardId(0, 4, -1), 'BAD_BRANCH');
  expectCode(() => fullShardId(0, 4, 1.5), 'BAD_BRANCH');
  expectCode(() => fullShardId(0x10000, 1, 0), 'BAD_BRANCH', 'chain id over 16 bits');
  expectCode(() => fullShardId(-1, 1, 0), 'BAD_BRANCH');
});

test('branch: isPowerOfTwo and hexId', () => {
  assert.deepEqual([1, 2, 4, 0x8000].map(isPowerOfTwo), [true, true, true, true]);
  assert.deepEqual([0, 3, 6, -2, 2.5].map(isPowerOfTwo), [false, false, false, false, false]);
  assert.equal(hexId(0x00010005), '0x10005');
  assert.equal(hexId(0xffffffff), '0xffffffff');
});
