import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader, Writer } from '../../../src/core/codec.js';
import { ChainError } from '../../../src/core/errors.js';
import { readBoundedList, writeBoundedList, type ListBound } from '../../../src/p2p/boundedList.js';
import { expectCode } from '../core/codecFixtures.js';

const HASHES: ListBound = { max: 200, minItemBytes: 32, what: 'hashes' };

/** A frame holding a u32 count then `payload` bytes. */
function frame(count: number, payload: number): Uint8Array {
  const w = new Writer();
  w.u32(count).fixed(new Uint8Array(payload), payload);
  return w.finish();
}

/** Reads a list of 32-byte items from `buf`, counting how many times the item reader ran. */
function readCounting(buf: Uint8Array): { calls: number; read: () => Uint8Array[] } {
  const state = { calls: 0, read: (): Uint8Array[] => [] };
  state.read = () => readBoundedList(new Reader(buf), buf.length, HASHES, (r) => {
    state.calls++;
    return r.fixed(32);
  });
  return state;
}

test('bounded list: a count over the cap is refused before any item is read', () => {
  for (const count of [201, 1000, 0xffffffff]) {
    const s = readCounting(frame(count, 64));
    expectCode(s.read, 'P2P_LIST_TOO_LONG', `count ${count}`);
    assert.equal(s.calls, 0, 'the item reader never ran');
  }
});

test('bounded list: a count within the cap that cannot fit in the frame is refused before any item is read', () => {
  const s = readCounting(frame(3, 2 * 32 + 31));
  expectCode(s.read, 'P2P_TRUNCATED');
  assert.equal(s.calls, 0);
  const cap = readCounting(frame(200, 32));
  expectCode(cap.read, 'P2P_TRUNCATED', 'at the cap, one item present');
  assert.equal(cap.calls, 0);
});

test('bounded list: counts that fit are read item by item', () => {
  for (const n of [0, 1, 200]) {
    const s = readCounting(frame(n, n * 32));
    assert.equal(s.read().length, n);
    assert.equal(s.calls, n);
  }
});

test('bounded list: writing more than the cap is our own bug (internal)', () => {
  const w = new Writer();
  try {
    writeBoundedList(w, Array.from({ length: 201 }, () => new Uint8Array(32)), HASHES, (ww, h) => void ww.fixed(h, 32));
    assert.fail('written');
  } catch (e) {
    assert.ok(e instanceof ChainError);
    assert.equal(e.code, 'P2P_ENCODE_INVALID');
    assert.equal(e.cls, 'internal');
    assert.match(e.message, /P2P_LIST_TOO_LONG/, 'names the code a peer would reject it with');
  }
  writeBoundedList(w, [new Uint8Array(32)], HASHES, (ww, h) => void ww.fixed(h, 32));
  assert.equal(w.finish().length, 4 + 32);
});
