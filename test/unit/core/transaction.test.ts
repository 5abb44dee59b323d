import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { addressToBytes } from '../../../src/core/address.js';
import { decodeAll, Reader, Writer } from '../../../src/core/codec.js';
import {
  decodeTx, encodeTx, encodeUnsignedTx, readTx, TX_LEN, TX_UNSIGNED_LEN, txHash, txSigningHash, writeTx,
} from '../../../src/core/transaction.js';
import {
  cutPoints, expectCode, patchU64, sampleTx, seq, UNSAFE_U64, withTrailingByte,
} from './codecFixtures.js';

/** Field offsets in the 177-byte layout (see src/core/transaction.ts). */
const OFF = { nonce: 0, gasPrice: 8, gasLimit: 40, to: 48, value: 72, networkId: 104, fromKey: 108, v: 112, r: 113, s: 145 };

test('tx: encodes to exactly 177 bytes in the documented layout', () => {
  const tx = sampleTx();
  const b = encodeTx(tx);
  assert.equal(TX_LEN, 177);
  assert.equal(TX_UNSIGNED_LEN, 112);
  assert.equal(b.length, TX_LEN);
  const dv = new DataView(b.buffer, b.byteOffset);
  assert.equal(dv.getBigUint64(OFF.nonce), BigInt(tx.nonce));
  assert.equal(dv.getBigUint64(OFF.gasLimit), BigInt(tx.gasLimit));
  assert.deepEqual(b.subarray(OFF.to, OFF.to + 24), addressToBytes(tx.to));
  assert.equal(b[OFF.gasPrice], 0, 'u256 is big-endian: 2^200 + 77 leaves the top byte zero');
  assert.equal(b[OFF.gasPrice + 6], 1, '2^200 sits in byte 6 of 32');
  assert.equal(b[OFF.value], 0x80, '2^255 sets the top bit of value');
  assert.equal(dv.getUint32(OFF.networkId), tx.networkId);
  assert.equal(dv.getUint32(OFF.fromKey), tx.fromFullShardKey);
  assert.equal(b[OFF.v], 1);
  assert.deepEqual(b.subarray(OFF.r, OFF.r + 32), tx.r);
  assert.deepEqual(b.subarray(OFF.s), tx.s);
  assert.deepEqual(encodeUnsignedTx(tx), b.subarray(0, TX_UNSIGNED_LEN), 'unsigned encoding is the prefix');
});

test('tx: round trips through encodeTx/decodeTx and the list codec', () => {
  const txs = [sampleTx(), sampleTx({ v: 0, nonce: 0, value: 0n, gasPrice: 0n }), sampleTx({ value: (1n << 256n) - 1n, nonce: Number.MAX_SAFE_INTEGER })];
  for (const tx of txs) assert.deepEqual(decodeTx(encodeTx(tx)), tx);
  const w = new Writer();
  w.list(txs, writeTx);
  assert.deepEqual(decodeAll(w.finish(), (r) => r.list(10, readTx)), txs);
  const r = new Reader(encodeTx(txs[0]!));
  readTx(r);
  assert.equal(r.offset, TX_LEN);
});

test('tx: signing hash covers the first 112 bytes, tx hash all 177', () => {
  const tx = sampleTx();
  const b = encodeTx(tx);
  assert.deepEqual(txSigningHash(tx), keccak_256(b.subarray(0, TX_UNSIGNED_LEN)));
  assert.deepEqual(txHash(tx), keccak_256(b));
  const resigned = sampleTx({ v: 0, r: seq(32, 1), s: seq(32, 2) });
  assert.deepEqual(txSigningHash(resigned), txSigningHash(tx), 'v, r, s are not signed');
  assert.notDeepEqual(txHash(resigned), txHash(tx), 'but they are part of the tx hash');
  assert.notDeepEqual(txSigningHash(sampleTx({ value: 1n })), txSigningHash(tx));
  assert.notDeepEqual(txSigningHash(sampleTx({ networkId: 1 })), txSigningHash(tx), 'network id is signed (replay protection)');
});

test('tx: short input at every field boundary is CODEC_SHORT; a trailing byte is CODEC_TRAILING', () => {
  const b = encodeTx(sampleTx());
  for (const n of cutPoints(b.length, Object.values(OFF).concat([7, 111, 144, 176]))) {
    expectCode(() => decodeTx(b.subarray(0, n)), 'CODEC_SHORT', `cut at ${n}`);
  }
  expectCode(() => decodeTx(withTrailingByte(b)), 'CODEC_TRAILING');
});

test('tx: u64 fields over 2^53 are CODEC_RANGE on decode; full-range u256 and u32 decode', () => {
  const b = encodeTx(sampleTx());
  expectCode(() => decodeTx(patchU64(b, OFF.nonce, UNSAFE_U64)), 'CODEC_RANGE', 'nonce');
  expectCode(() => decodeTx(patchU64(b, OFF.gasLimit, (1n << 64n) - 1n)), 'CODEC_RANGE', 'gasLimit');
  assert.equal(decodeTx(patchU64(b, OFF.nonce, UNSAFE_U64 - 1n)).nonce, Number.MAX_SAFE_INTEGER);
  const max = b.slice();
  max.fill(0xff, OFF.value, OFF.value + 32);
  max.fill(0xff, OFF.networkId, OFF.networkId + 8);
  const d = decodeTx(max);
  assert.equal(d.value, (1n << 256n) - 1n);
  assert.equal(d.networkId, 0xffffffff);
  assert.equal(d.fromFullShardKey, 0xffffffff);
});

test('tx: out-of-range values are CODEC_RANGE on encode, wrong lengths CODEC_LENGTH', () => {
  const bad: [string, Parameters<typeof sampleTx>[0], string][] = [
    ['negative value', { value: -1n }, 'CODEC_RANGE'],
    ['value 2^256', { value: 1n << 256n }, 'CODEC_RANGE'],
    ['gasPrice 2^256', { gasPrice: 1n << 256n }, 'CODEC_RANGE'],
    ['negative gasPrice', { gasPrice: -5n }, 'CODEC_RANGE'],
    ['unsafe nonce', { nonce: 2 ** 53 }, 'CODEC_RANGE'],
    ['negative nonce', { nonce: -1 }, 'CODEC_RANGE'],
    ['fractional gasLimit', { gasLimit: 1.5 }, 'CODEC_RANGE'],
    ['networkId 2^32', { networkId: 2 ** 32 }, 'CODEC_RANGE'],
    ['negative fromFullShardKey', { fromFullShardKey: -1 }, 'CODEC_RANGE'],
    ['v 256 (would wrap to 0)', { v: 256 }, 'CODEC_RANGE'],
    ['negative v', { v: -1 }, 'CODEC_RANGE'],
    ['short r', { r: new Uint8Array(31) }, 'CODEC_LENGTH'],
    ['long s', { s: new Uint8Array(33) }, 'CODEC_LENGTH'],
    ['short recipient', { to: { recipient: new Uint8Array(19), fullShardKey: 0 } }, 'CODEC_LENGTH'],
  ];
  for (const [what, over, code] of bad) expectCode(() => encodeTx(sampleTx(over)), code, what);
});
