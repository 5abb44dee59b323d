/** The shared sealing rules: candidate staleness, the tip-ahead wait, start nonces and simulate's delay. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANDIDATE_MAX_AGE_MS, isStale, randomStartNonce, simulatedDelayMs, staleReason, tipAheadWaitMs } from '../../../src/pow/sealSchedule.js';

const T0 = 1_700_000_000_000;
const stamp = { madeAtMs: T0, gen: 7, tipKey: 'tip-a' };

test('sealSchedule: a candidate is stale without one, on a new generation, at the max age, or off the tip', () => {
  assert.equal(staleReason(null, T0, 7, 'tip-a'), 'none');
  assert.equal(staleReason(stamp, T0 + 10, 8, 'tip-a'), 'generation');
  assert.equal(staleReason(stamp, T0 + CANDIDATE_MAX_AGE_MS, 7, 'tip-a'), 'age');
  assert.equal(staleReason(stamp, T0 + 10, 7, 'tip-b'), 'tip');
  assert.equal(staleReason(stamp, T0 + CANDIDATE_MAX_AGE_MS - 1, 7, 'tip-a'), null, 'one ms younger than the max age is still good');
  assert.equal(isStale(stamp, T0 + CANDIDATE_MAX_AGE_MS - 1, 7, 'tip-a'), false);
  assert.equal(isStale(stamp, T0 + 1, 7, 'tip-b'), true);
  assert.equal(CANDIDATE_MAX_AGE_MS, 1000, 'DESIGN §1: rebuilt at least every second');
});

test('sealSchedule: a tip ahead of the clock is waited for, at most one max age at a time', () => {
  const nowSec = 1_700_000_000;
  assert.equal(tipAheadWaitMs(nowSec, nowSec * 1000), 0);
  assert.equal(tipAheadWaitMs(nowSec - 5, nowSec * 1000), 0);
  assert.equal(tipAheadWaitMs(nowSec + 1, nowSec * 1000 + 300), 700);
  assert.equal(tipAheadWaitMs(nowSec + 10, nowSec * 1000), CANDIDATE_MAX_AGE_MS);
});

test('sealSchedule: start nonces use 64 random bits', () => {
  assert.equal(randomStartNonce(() => 0), 0n);
  const top = 1 - 2 ** -40;
  assert.equal(randomStartNonce(() => top), ((2n ** 32n - 1n) << 32n) | (2n ** 32n - 1n));
  const halves = [0.5, 0.25];
  assert.equal(randomStartNonce(() => halves.shift()!), (2n ** 31n << 32n) | 2n ** 30n);
  const seen = new Set(Array.from({ length: 100 }, () => randomStartNonce()));
  assert.equal(seen.size, 100);
});

test('sealSchedule: simulate waits an exponential delay with the target as its mean', () => {
  assert.equal(simulatedDelayMs(3, () => 0), 0);
  assert.ok(Math.abs(simulatedDelayMs(3, () => 1 - Math.exp(-1)) - 3000) < 1e-6, 'the 63rd percentile is one mean');
  // A deterministic sweep of quantiles: their mean approaches the target.
  const n = 10_000;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += simulatedDelayMs(2, () => (i + 0.5) / n);
  assert.ok(Math.abs(sum / n - 2000) < 20, `mean ${sum / n}`);
});
