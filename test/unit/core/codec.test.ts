import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader, Writer, decodeAll } from '../../../src/core/codec.js';
import { ChainError } from '../../../src/core/errors.js';

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { return (e as ChainError).code; }
  return 'NO_ERROR';
}

test('codec: integers round trip big-endian', () => {
  const w = new Writer(1).u8(7).u32(0xdeadbeef).u64(2n ** 64n - 1n).u256(2n ** 255n + 5n).u64n(123456789);
  const b = w.finish();
  assert.equal(b.length, 1 + 4 + 8 + 32 + 8);
  assert.deepEqual([...b.subarray(1, 5)], [0xde, 0xad, 0xbe, 0xef]);
  const r = new Reader(b);
  assert.equal(r.u8(), 7);
  assert.equal(r.u32(), 0xdeadbeef);
  assert.equal(r.u64(), 2n ** 64n - 1n);
  assert.equal(r.u256(), 2n ** 255n + 5n);
  assert.equal(r.u64n(), 123456789);
  r.end();
});

test('codec: rejects short, trailing, oversized and out-of-range input with codes', () => {
  assert.equal(code(() => new Reader(new Uint8Array(3)).u32()), 'CODEC_SHORT');
  assert.equal(code(() => decodeAll(new Uint8Array(5), (r) => r.u32())), 'CODEC_TRAILING');
  const list = new Writer().list([1, 2, 3], (w, x) => w.u8(x)).finish();
  assert.equal(code(() => decodeAll(list, (r) => r.list(2, (rr) => rr.u8()))), 'CODEC_OVERSIZE');
  assert.deepEqual(decodeAll(list, (r) => r.list(3, (rr) => rr.u8())), [1, 2, 3]);
  assert.equal(code(() => new Writer().u256(-1n)), 'CODEC_RANGE');
  assert.equal(code(() => new Writer().u256(2n ** 256n)), 'CODEC_RANGE');
  assert.equal(code(() => new Writer().u32(2 ** 32)), 'CODEC_RANGE');
  assert.equal(code(() => new Writer().u64n(1.5)), 'CODEC_RANGE');
  const big = new Writer().u64(2n ** 60n).finish();
  assert.equal(code(() => decodeAll(big, (r) => r.u64n())), 'CODEC_RANGE');
  const bytes = new Writer().bytes(new Uint8Array(10)).finish();
  assert.equal(code(() => decodeAll(bytes, (r) => r.bytes(9))), 'CODEC_OVERSIZE');
  assert.equal(code(() => new Writer().fixed(new Uint8Array(31), 32)), 'CODEC_LENGTH');
});

test('codec: over a Node Buffer (a ws frame, a LevelDB value) fixed() and copySince() copy, viewOf() is a view, as over a Uint8Array', () => {
  const chunk = Buffer.alloc(64, 7);
  const r = new Reader(chunk.subarray(8, 48));
  const fixed = r.fixed(8);
  const view = r.viewOf(8);
  const copy = r.copySince(0);
  assert.equal(fixed.buffer.byteLength, 8, 'a buffer of its own');
  assert.equal(copy.buffer.byteLength, 16);
  chunk.fill(9);
  assert.deepEqual([...fixed], Array(8).fill(7));
  assert.deepEqual([...copy], Array(16).fill(7));
  assert.deepEqual([...view], Array(8).fill(9), 'viewOf stays a view of the input');
});
