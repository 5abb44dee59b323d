/** The typed emitter: delivery in order, unsubscribe by the returned function, safe during delivery. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/emitter.js';

type Events = { readonly tick: [n: number, label: string]; readonly done: [] };

test('emitter: listeners get the arguments, in subscription order, per event name', () => {
  const e = new Emitter<Events>();
  const got: string[] = [];
  e.on('tick', (n, label) => got.push(`a${n}${label}`));
  e.on('tick', (n) => got.push(`b${n}`));
  e.on('done', () => got.push('done'));
  e.emit('tick', 1, 'x');
  e.emit('done');
  assert.deepEqual(got, ['a1x', 'b1', 'done']);
});

test('emitter: the returned function unsubscribes that subscription only, and twice is a no-op', () => {
  const e = new Emitter<Events>();
  const got: number[] = [];
  const fn = (n: number): void => { got.push(n); };
  const off1 = e.on('tick', fn);
  e.on('tick', fn); // the same function twice: two subscriptions
  e.emit('tick', 1, '');
  off1();
  off1();
  e.emit('tick', 2, '');
  assert.deepEqual(got, [1, 1, 2]);
  assert.equal(e.listenerCount('tick'), 1);
});

test('emitter: unsubscribing during delivery neither skips nor repeats the others', () => {
  const e = new Emitter<Events>();
  const got: string[] = [];
  const offA: () => void = e.on('tick', () => { got.push('a'); offA(); offB(); });
  const offB = e.on('tick', () => got.push('b'));
  e.on('tick', () => got.push('c'));
  e.emit('tick', 0, '');
  e.emit('tick', 0, '');
  assert.deepEqual(got, ['a', 'b', 'c', 'c'], 'b still gets the event being delivered, then neither a nor b');
  assert.equal(e.listenerCount('tick'), 1);
});

test('emitter: an event nobody follows is a no-op', () => {
  const e = new Emitter<Events>();
  e.emit('done');
  assert.equal(e.listenerCount('done'), 0);
});
