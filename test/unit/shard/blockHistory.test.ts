/** BlockHistory: the ring of forgotten canonical blocks, newest first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockHistory } from '../../../src/shard/blockHistory.js';

const entry = (height: number) => ({ height, createTime: 1000 + 3 * height, txsCum: height * 10, gasUsed: height * 21_000 });

test('blockHistory: newest first, and the oldest entries are overwritten past the capacity', () => {
  const h = new BlockHistory(4);
  assert.equal(h.newest(), undefined);
  for (let i = 0; i < 3; i++) h.push(entry(i));
  assert.deepEqual([...h.backwards()].map((e) => e.height), [2, 1, 0]);
  for (let i = 3; i < 7; i++) h.push(entry(i));
  assert.equal(h.size, 4);
  assert.deepEqual([...h.backwards()], [6, 5, 4, 3].map(entry));
});

test('blockHistory: a gap in heights starts the record again (it must stay contiguous)', () => {
  const h = new BlockHistory(8);
  for (let i = 0; i < 3; i++) h.push(entry(i));
  h.push(entry(5));
  assert.deepEqual([...h.backwards()].map((e) => e.height), [5]);
});
