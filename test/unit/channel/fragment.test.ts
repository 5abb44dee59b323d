import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAGMENT_HEADER_BYTES, Reassembler, type XshardMessage, writeFragmentHeader } from '../../../src/channel/fragment.js';
import { codeOf, patterned } from './helpers.js';

function fragment(seq: number, body: Uint8Array, offset: number, length: number, total = body.length): Uint8Array {
  const frame = new Uint8Array(FRAGMENT_HEADER_BYTES + length);
  writeFragmentHeader(frame, seq, total, offset);
  frame.set(body.subarray(offset, offset + length), FRAGMENT_HEADER_BYTES);
  return frame;
}

/** Feeds one frame held in memory, as a ring would present it. */
function feed(r: Reassembler, frame: Uint8Array): XshardMessage | null {
  return r.push({ peekInto: (dst, at, from, n) => dst.set(frame.subarray(from, from + n), at) }, frame.length);
}

test('fragment: a one-frame message splits into source hash and payload', () => {
  const body = patterned(1, 100);
  const msg = feed(new Reassembler(0), fragment(1, body, 0, 100));
  assert.ok(msg !== null);
  assert.equal(msg.seq, 1);
  assert.deepEqual(msg.sourceHash, body.subarray(0, 32));
  assert.deepEqual(msg.payload, body.subarray(32));
});

test('fragment: fragments reassemble in order into the whole body', () => {
  const body = patterned(2, 1000);
  const r = new Reassembler(0);
  for (let off = 0; off < 900; off += 300) assert.equal(feed(r, fragment(1, body, off, 300)), null);
  assert.equal(r.assembling, true);
  const msg = feed(r, fragment(1, body, 900, 100));
  assert.ok(msg !== null);
  assert.deepEqual(msg.payload, body.subarray(32));
  assert.equal(r.assembling, false);
});

test('fragment: sequence gaps, out-of-order fragments and bad sizes are internal errors', () => {
  const body = patterned(3, 200);
  assert.equal(codeOf(() => feed(new Reassembler(0), fragment(2, body, 0, 200))), 'XSHARD_FRAGMENT', 'seq gap');
  assert.equal(codeOf(() => feed(new Reassembler(0), fragment(1, body, 100, 100))), 'XSHARD_FRAGMENT', 'no start');
  const r = new Reassembler(0);
  feed(r, fragment(1, body, 0, 100));
  assert.equal(codeOf(() => feed(r, fragment(1, body, 150, 50))), 'XSHARD_FRAGMENT', 'hole');
  const r2 = new Reassembler(0);
  feed(r2, fragment(1, body, 0, 100));
  assert.equal(codeOf(() => feed(r2, fragment(2, body, 0, 100))), 'XSHARD_FRAGMENT', 'next seq before the end');
  assert.equal(codeOf(() => feed(new Reassembler(0, 100), fragment(1, body, 0, 50))), 'XSHARD_FRAGMENT', 'over max');
  assert.equal(codeOf(() => feed(new Reassembler(0), fragment(1, body, 0, 20, 20))), 'XSHARD_FRAGMENT', 'no hash');
  assert.equal(codeOf(() => feed(new Reassembler(0), new Uint8Array(5))), 'XSHARD_FRAGMENT', 'no header');
});

test('fragment: sequence numbers continue across 2^32', () => {
  const r = new Reassembler(2 ** 32 - 1);
  const msg = feed(r, fragment(0, patterned(4, 40), 0, 40));
  assert.equal(msg?.seq, 0);
  assert.equal(feed(r, fragment(1, patterned(5, 40), 0, 40))?.seq, 1);
});
