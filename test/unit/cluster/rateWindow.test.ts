/** Rates from cumulative counters over sliding windows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateWindow } from '../../../src/cluster/rateWindow.js';

test('RateWindow: 0 before two samples; the average over what was seen of the window', () => {
  const w = new RateWindow(60);
  assert.equal(w.rate(10), 0);
  w.add(100, 0);
  assert.equal(w.rate(10), 0);
  w.add(102, 50);
  assert.equal(w.rate(10), 25, 'two seconds seen of a 10 s window');
});

test('RateWindow: a short window sees only its recent samples; old ones fall out of the longest window', () => {
  const w = new RateWindow(10);
  for (let t = 0; t <= 30; t++) w.add(t, t < 20 ? t * 100 : 1900 + (t - 19) * 10);
  assert.equal(w.rate(5), 10, 'the last 5 s ran at 10/s');
  assert.equal(w.rate(10), 10);
  // Asking for more than the kept window gives the kept window's rate (older samples were dropped).
  assert.equal(w.rate(60), w.rate(11));
});
