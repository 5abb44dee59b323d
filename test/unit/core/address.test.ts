import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADDRESS_LEN, addressFromBytes, addressFromHex, addressToBytes, addressToHex, makeAddress, readAddress,
  writeAddress, ZERO_ADDRESS,
} from '../../../src/core/address.js';
import { decodeAll, Writer } from '../../../src/core/codec.js';
import { cutPoints, expectCode, seq, withTrailingByte } from './codecFixtures.js';

const encode = (a: Parameters<typeof writeAddress>[1]): Uint8Array => {
  const w = new Writer();
  writeAddress(w, a);
  return w.finish();
};

test('address: 24 bytes = recipient then big-endian full shard key', () => {
  const a = makeAddress(seq(20, 1), 0x00010203);
  const b = addressToBytes(a);
  assert.equal(b.length, ADDRESS_LEN);
  assert.deepEqual(b.subarray(0, 20), seq(20, 1));
  assert.deepEqual([...b.subarray(20)], [0x00, 0x01, 0x02, 0x03]);
  assert.deepEqual(encode(a), b, 'the codec writes the same bytes');
  assert.equal(addressToHex(a), '0x' + Buffer.from(b).toString('hex'));
  assert.equal(addressToHex(a).length, 2 + 48);
});

test('address: round trips through bytes, hex and the codec', () => {
  for (const key of [0, 1, 0x00010005, 0xffffffff]) {
    const a = makeAddress(seq(20, key & 0xff), key);
    assert.deepEqual(addressFromBytes(addressToBytes(a)), a);
    assert.deepEqual(addressFromHex(addressToHex(a)), a);
    assert.deepEqual(decodeAll(encode(a), readAddress), a);
  }
  assert.deepEqual(addressToBytes(ZERO_ADDRESS), new Uint8Array(24));
  assert.deepEqual(addressFromHex(addressToHex(ZERO_ADDRESS).toUpperCase().replace('0X', '0x')), ZERO_ADDRESS);
});

test('address: decodes from a view at a non-zero offset', () => {
  const a = makeAddress(seq(20, 9), 0xcafebabe);
  const backing = new Uint8Array(40);
  backing.set(addressToBytes(a), 7);
  assert.deepEqual(addressFromBytes(backing.subarray(7, 31)), a);
});

test('address: makeAddress rejects bad recipients and keys with BAD_ADDRESS', () => {
  expectCode(() => makeAddress(new Uint8Array(19), 0), 'BAD_ADDRESS');
  expectCode(() => makeAddress(new Uint8Array(21), 0), 'BAD_ADDRESS');
  for (const key of [-1, 2 ** 32, 1.5, Number.NaN]) expectCode(() => makeAddress(new Uint8Array(20), key), 'BAD_ADDRESS', String(key));
});

test('address: wrong lengths and bad hex are rejected with codes', () => {
  expectCode(() => addressFromBytes(new Uint8Array(23)), 'BAD_ADDRESS');
  expectCode(() => addressFromBytes(new Uint8Array(25)), 'BAD_ADDRESS');
  expectCode(() => addressFromHex('0x' + '00'.repeat(23)), 'BAD_LENGTH');
  expectCode(() => addressFromHex('0x' + '00'.repeat(25)), 'BAD_LENGTH');
  expectCode(() => addressFromHex('0x' + 'zz'.repeat(24)), 'BAD_HEX');
  expectCode(() => addressFromHex('0x' + '0'.repeat(47)), 'BAD_HEX');
});

test('address: codec rejects short input, trailing bytes and out-of-range fields', () => {
  const b = encode(makeAddress(seq(20, 3), 5));
  for (const n of cutPoints(b.length, [19, 20, 23])) expectCode(() => decodeAll(b.subarray(0, n), readAddress), 'CODEC_SHORT', `cut ${n}`);
  expectCode(() => decodeAll(withTrailingByte(b), readAddress), 'CODEC_TRAILING');
  expectCode(() => encode({ recipient: new Uint8Array(19), fullShardKey: 0 }), 'CODEC_LENGTH');
  expectCode(() => encode({ recipient: new Uint8Array(20), fullShardKey: 2 ** 32 }), 'CODEC_RANGE');
  expectCode(() => encode({ recipient: new Uint8Array(20), fullShardKey: -1 }), 'CODEC_RANGE');
});
