import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSeq, seqAtLeast, u32Add, u32Distance } from '../../../src/channel/seq.js';

test('seq: comparisons are wrap-safe around 2^32', () => {
  assert.equal(seqAtLeast(5, 5), true);
  assert.equal(seqAtLeast(5, 6), false);
  assert.equal(seqAtLeast(2, 2 ** 32 - 2), true, '2 is four steps after 2^32 - 2');
  assert.equal(seqAtLeast(2 ** 32 - 2, 2), false);
  assert.equal(nextSeq(2 ** 32 - 1), 0);
  assert.equal(u32Add(2 ** 32 - 4, 8), 4);
  assert.equal(u32Distance(4, 2 ** 32 - 4), 8);
});
