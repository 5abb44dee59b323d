import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressToBytes } from '../../../src/core/address.js';
import { decodeAll, Writer } from '../../../src/core/codec.js';
import { decodeDepositList, DEPOSIT_LEN, encodeDepositList, readDeposit, writeDeposit, type Deposit } from '../../../src/core/deposit.js';
import { MAX_DEPOSITS_PER_LIST } from '../../../src/core/limits.js';
import { cutPoints, expectCode, patchU32, patchU64, sampleDeposit, UNSAFE_U64, withTrailingByte } from './codecFixtures.js';

/** Field offsets in the 152-byte deposit layout: 32 + 24 + 24 + 32 + 32 + 8 (see src/core/deposit.ts). */
const D = { txHash: 0, from: 32, to: 56, value: 80, gasPrice: 112, gasRemaining: 144 };
const LIST_PREFIX_LEN = 4;

function encodeOne(d: Deposit): Uint8Array {
  const w = new Writer();
  writeDeposit(w, d);
  return w.finish();
}

test('deposit: 152 bytes in the documented layout', () => {
  const d = sampleDeposit(1);
  const b = encodeOne(d);
  assert.equal(DEPOSIT_LEN, 152);
  assert.equal(b.length, DEPOSIT_LEN);
  assert.deepEqual(b.subarray(D.txHash, D.from), d.txHash);
  assert.deepEqual(b.subarray(D.from, D.to), addressToBytes(d.from));
  assert.deepEqual(b.subarray(D.to, D.value), addressToBytes(d.to));
  assert.equal(new DataView(b.buffer).getBigUint64(D.gasPrice + 24), d.gasPrice, 'gasPrice < 2^64 sits in the last word');
  assert.equal(new DataView(b.buffer).getBigUint64(D.gasRemaining), BigInt(d.gasRemaining));
  assert.deepEqual(decodeAll(b, readDeposit), d);
});

test('deposit list: round trip for 0, 1 and 5 deposits; length = 4 + 152 n', () => {
  for (const n of [0, 1, 5]) {
    const list = Array.from({ length: n }, (_, i) => sampleDeposit(i));
    const b = encodeDepositList(list);
    assert.equal(b.length, LIST_PREFIX_LEN + n * DEPOSIT_LEN);
    assert.equal(new DataView(b.buffer).getUint32(0), n);
    assert.deepEqual(decodeDepositList(b), list);
  }
  const extremes = [sampleDeposit(0, { value: 0n, gasPrice: 0n, gasRemaining: 0 }),
    sampleDeposit(1, { value: (1n << 256n) - 1n, gasPrice: (1n << 256n) - 1n, gasRemaining: Number.MAX_SAFE_INTEGER })];
  assert.deepEqual(decodeDepositList(encodeDepositList(extremes)), extremes);
});

test('deposit list: short input and trailing bytes', () => {
  const b = encodeDepositList([sampleDeposit(0), sampleDeposit(1)]);
  const inner = [3, 4, ...Object.values(D).map((o) => LIST_PREFIX_LEN + o), LIST_PREFIX_LEN + DEPOSIT_LEN, b.length - 8];
  for (const n of cutPoints(b.length, inner)) expectCode(() => decodeDepositList(b.subarray(0, n)), 'CODEC_SHORT', `cut ${n}`);
  expectCode(() => decodeDepositList(withTrailingByte(b)), 'CODEC_TRAILING');
});

test('deposit list: a count over MAX_DEPOSITS_PER_LIST is CODEC_OVERSIZE', () => {
  const b = encodeDepositList([sampleDeposit(0)]);
  expectCode(() => decodeDepositList(patchU32(b, 0, MAX_DEPOSITS_PER_LIST + 1)), 'CODEC_OVERSIZE');
  expectCode(() => decodeDepositList(patchU32(b, 0, 0xffffffff)), 'CODEC_OVERSIZE');
  expectCode(() => decodeDepositList(patchU32(b, 0, MAX_DEPOSITS_PER_LIST)), 'CODEC_SHORT');
  expectCode(() => decodeDepositList(patchU32(b, 0, 0)), 'CODEC_TRAILING');
});

test('deposit: gasRemaining over 2^53 is CODEC_RANGE on decode', () => {
  const b = encodeDepositList([sampleDeposit(0)]);
  expectCode(() => decodeDepositList(patchU64(b, LIST_PREFIX_LEN + D.gasRemaining, UNSAFE_U64)), 'CODEC_RANGE');
});

test('deposit: out-of-range values are rejected on encode', () => {
  const bad: [string, Partial<Deposit>, string][] = [
    ['negative value', { value: -1n }, 'CODEC_RANGE'],
    ['value 2^256', { value: 1n << 256n }, 'CODEC_RANGE'],
    ['gasPrice 2^256', { gasPrice: 1n << 256n }, 'CODEC_RANGE'],
    ['unsafe gasRemaining', { gasRemaining: 2 ** 53 }, 'CODEC_RANGE'],
    ['negative gasRemaining', { gasRemaining: -1 }, 'CODEC_RANGE'],
    ['short txHash', { txHash: new Uint8Array(31) }, 'CODEC_LENGTH'],
    ['from key 2^32', { from: { recipient: new Uint8Array(20), fullShardKey: 2 ** 32 } }, 'CODEC_RANGE'],
  ];
  for (const [what, over, code] of bad) {
    expectCode(() => encodeOne(sampleDeposit(0, over)), code, what);
    expectCode(() => encodeDepositList([sampleDeposit(1), sampleDeposit(0, over)]), code, `${what} in a list`);
  }
});
