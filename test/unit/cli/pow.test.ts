// Tests of src/cli/pow.ts (`shardminer pow`): one seal computed and checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { powReport } from '../../../src/cli/pow.js';
import { readFileSync } from 'node:fs';

const ZERO = new Uint8Array(32);

test('pow: doublesha256 result, zero mixhash, inclusive target, validity', () => {
  const m = Buffer.alloc(40);
  m.writeBigUInt64BE(5n, 32);
  const want = '0x' + createHash('sha256').update(createHash('sha256').update(m).digest()).digest('hex');
  const r = powReport('doublesha256', ZERO, 5n, 0, 1n, null);
  assert.equal(r.result, want);
  assert.equal(r.mixhash, '0x' + '00'.repeat(32));
  assert.equal(r.target, '0x' + 'ff'.repeat(31) + 'fe', 'd=1: largest valid digest is 2^256 − 2');
  assert.equal(r.valid, true);
  const none = powReport('doublesha256', ZERO, 5n, 0, null, null);
  assert.deepEqual([none.target, none.valid], [null, null]);
  assert.equal(powReport('doublesha256', ZERO, 5n, 0, 1n, new Uint8Array(32).fill(1)).valid, false, 'non-zero mixhash');
  assert.match(r.result, /^0x[0-9a-f]{64}$/);
});

test('pow: qkchash matches the vectors; a wrong claimed mixhash is invalid', () => {
  const v = JSON.parse(readFileSync(new URL('../../../../test/vectors/qkchash.json', import.meta.url), 'utf8')) as {
    reference: { hashes: { height: number; sealHash: string; nonce: string; mix: string; result: string }[] };
  };
  const h = v.reference.hashes[2]!;
  const r = powReport('qkchash', Buffer.from(h.sealHash, 'hex'), BigInt(h.nonce), h.height, 1n, null);
  assert.deepEqual([r.result, r.mixhash, r.valid], ['0x' + h.result, '0x' + h.mix, true]);
  assert.equal(r.target, '0x' + 'ff'.repeat(32), 'd=1: 2^256 clamped to the largest 256-bit value');
  assert.equal(powReport('qkchash', Buffer.from(h.sealHash, 'hex'), BigInt(h.nonce), h.height, 1n, ZERO).valid, false);
});
