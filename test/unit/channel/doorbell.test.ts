import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Doorbell, createDoorbell } from '../../../src/channel/doorbell.js';
import { codeOf, until } from './helpers.js';

test('doorbell: start polls once, each ring from another view wakes the listener', async () => {
  const sab = createDoorbell();
  const listener = new Doorbell(sab);
  const ringer = new Doorbell(sab);
  let polls = 0;
  listener.subscribe(() => { polls++; });
  listener.start();
  assert.equal(polls, 1);
  assert.equal(listener.running, true);
  for (let i = 2; i <= 5; i++) {
    ringer.ring();
    await until(() => polls >= i);
  }
  listener.stop();
  assert.equal(listener.running, false);
});

test('doorbell: a ring during a poll is not lost', async () => {
  const bell = new Doorbell(createDoorbell());
  let polls = 0;
  bell.subscribe(() => {
    polls++;
    if (polls === 1) bell.ring(); // arrives after the counter was loaded for this round
  });
  bell.start();
  await until(() => polls >= 2);
  bell.stop();
});

test('doorbell: after stop and unsubscribe nothing is polled', async () => {
  const bell = new Doorbell(createDoorbell());
  let a = 0;
  let b = 0;
  const offA = bell.subscribe(() => { a++; });
  bell.subscribe(() => { b++; });
  bell.start();
  offA();
  bell.ring();
  await until(() => b >= 2);
  assert.equal(a, 1);
  bell.stop();
  bell.ring();
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
  assert.equal(b, 2);
});

test('doorbell: wraps only a doorbell-sized buffer', () => {
  assert.equal(codeOf(() => new Doorbell(new SharedArrayBuffer(8))), 'DOORBELL_LAYOUT');
});
