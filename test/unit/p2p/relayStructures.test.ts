/** The bounded structures of block and transfer relay: BoundedSet, OrphanPool, TokenBucket. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedSet } from '../../../src/p2p/boundedSet.js';
import { OrphanPool } from '../../../src/p2p/orphanPool.js';
import { TokenBucket } from '../../../src/p2p/tokenBucket.js';

test('BoundedSet: add reports novelty; past capacity the oldest key is forgotten', () => {
  const s = new BoundedSet(3);
  assert.equal(s.add('a'), true);
  assert.equal(s.add('a'), false);
  s.add('b');
  s.add('c');
  s.add('d');
  assert.equal(s.size, 3);
  assert.equal(s.has('a'), false);
  assert.ok(s.has('b') && s.has('c') && s.has('d'));
  assert.throws(() => new BoundedSet(0), RangeError);
});

test('OrphanPool: blocks wait for a hash and are released together, oldest first, once', () => {
  const p = new OrphanPool<string>(10, 60_000);
  assert.equal(p.hold('x', 'parent', 'X', 0), true);
  assert.equal(p.hold('x', 'parent', 'X', 1), false, 'held once');
  p.hold('y', 'parent', 'Y', 2);
  p.hold('z', 'other', 'Z', 3);
  assert.deepEqual(p.release('nothing', 4), []);
  assert.deepEqual(p.release('parent', 5), ['X', 'Y']);
  assert.deepEqual(p.release('parent', 6), []);
  assert.equal(p.size, 1);
  assert.ok(p.has('z'));
});

test('OrphanPool: bounded by count (the oldest goes) and by age', () => {
  const p = new OrphanPool<number>(2, 1_000);
  p.hold('a', 'w', 1, 0);
  p.hold('b', 'w', 2, 10);
  p.hold('c', 'w', 3, 20);
  assert.equal(p.size, 2);
  assert.equal(p.has('a'), false);
  assert.deepEqual(p.release('w', 30), [2, 3]);
  p.hold('d', 'v', 4, 100);
  p.hold('e', 'v', 5, 1_050);
  assert.deepEqual(p.release('v', 1_101 + 1), [5], 'd is older than 1 s and was dropped');
});

test('TokenBucket: a burst, then the rate', () => {
  const b = new TokenBucket(100, 50, 0);
  assert.equal(b.take(80, 0), 50);
  assert.equal(b.take(10, 0), 0);
  assert.equal(b.take(100, 100), 10, '0.1 s at 100/s');
  assert.equal(b.take(100, 10_000), 50, 'never above the burst');
});

test('TokenBucket: takeAll grants all or nothing', () => {
  const b = new TokenBucket(100, 50, 0);
  assert.equal(b.takeAll(51, 0), false);
  assert.equal(b.available(0), 50, 'a refused takeAll takes nothing');
  assert.equal(b.takeAll(50, 0), true);
  assert.equal(b.takeAll(1, 5), false, '0.5 tokens is not one');
  assert.equal(b.takeAll(1, 10), true);
});
