/** Parameter decoders: quantities, data, addresses, heights, ids; every malformed input is −32602. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID_PARAMS, RpcError } from '../../../src/rpc/errors.js';
import { address, arity, asArray, data, height, id36, intOrQuantity, keyOrRoot, quantity, u32, U64_MAX } from '../../../src/rpc/params.js';

const isParamError = (e: unknown): boolean => e instanceof RpcError && e.code === INVALID_PARAMS;

test('params: quantities accept 0x hex (leading zeros too) and reject everything else', () => {
  assert.equal(quantity('0x0', 'q'), 0n);
  assert.equal(quantity('0x00ff', 'q'), 255n);
  assert.equal(quantity('0xFFFFFFFFFFFFFFFF', 'q', U64_MAX), U64_MAX);
  for (const bad of ['0x', 'ff', '0xg1', '', 12, null, true, '0x' + 'f'.repeat(100), ' 0x1', '0x1 ']) {
    assert.throws(() => quantity(bad, 'q'), isParamError, JSON.stringify(bad));
  }
  assert.throws(() => quantity('0x10000000000000000', 'q', U64_MAX), isParamError);
  assert.equal(u32('0xffffffff', 'k'), 0xffffffff);
  assert.throws(() => u32('0x100000000', 'k'), isParamError);
});

test('params: data needs 0x and even-length hex, and the stated length', () => {
  assert.deepEqual([...data('0x0aff', 'd')], [10, 255]);
  assert.equal(data('0x', 'd').length, 0);
  for (const bad of ['0x0', 'aa', '0xzz', 5, null]) assert.throws(() => data(bad, 'd'), isParamError, String(bad));
  assert.throws(() => data('0x' + '00'.repeat(31), 'd', 32), isParamError);
  assert.equal(data('0x' + '00'.repeat(32), 'd', 32).length, 32);
});

test('params: addresses are 24 bytes, ids 36 bytes (hash + key)', () => {
  const a = address('0x' + '11'.repeat(20) + '00010002');
  assert.equal(a.fullShardKey, 0x10002);
  assert.throws(() => address('0x' + '11'.repeat(20)), isParamError);
  const id = id36('0x' + 'ab'.repeat(32) + '00000005');
  assert.equal(id.key, 5);
  assert.equal(id.hash.length, 32);
  assert.throws(() => id36('0x' + 'ab'.repeat(32)), isParamError);
});

test('params: heights, keys, integers and arity', () => {
  assert.equal(height(undefined), null);
  assert.equal(height(null), null);
  assert.equal(height('latest'), null);
  assert.equal(height('earliest'), 0);
  assert.equal(height('0x10'), 16);
  assert.throws(() => height('tip'), isParamError);
  assert.equal(keyOrRoot(null), null);
  assert.equal(keyOrRoot('0x10001'), 0x10001);
  assert.throws(() => keyOrRoot('R'), isParamError);
  assert.equal(intOrQuantity(12, 'n'), 12);
  assert.equal(intOrQuantity('0xc', 'n'), 12);
  assert.throws(() => intOrQuantity(1.5, 'n'), isParamError);
  assert.throws(() => intOrQuantity(-1, 'n'), isParamError);
  assert.throws(() => intOrQuantity(13, 'n', 12), isParamError);
  assert.deepEqual(asArray(undefined), []);
  assert.throws(() => asArray({ a: 1 }), isParamError);
  assert.deepEqual(asArray({ a: 1 }, true), [{ a: 1 }]);
  assert.throws(() => arity([1, 2, 3], 1, 2), isParamError);
  assert.doesNotThrow(() => arity([1], 1, 2));
});
