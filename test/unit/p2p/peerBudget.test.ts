import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FRAME_BYTES } from '../../../src/p2p/limits.js';
import {
  Budgets, DEFAULT_BUDGET, MAX_PULL_BYTES, maxServedBytes, PeerBudget, PULL_WINDOW_SEC, REQUEST_BURST, SERVED_BYTES_BURST, type BudgetLimits,
} from '../../../src/p2p/peerBudget.js';
import type { PeerDecision } from '../../../src/p2p/peerFault.js';

function refused(d: PeerDecision): boolean {
  if (d.ok) return false;
  assert.deepEqual({ fault: d.fault, fatal: d.fatal, reason: d.reason }, { fault: 'P2P_OVER_BUDGET', fatal: false, reason: 'BAD_REQUEST' });
  return true;
}

test('peer budget: a burst of 1,000 PINGs at once is answered only up to the request burst; the rate refills it', () => {
  const b = new PeerBudget(DEFAULT_BUDGET, 0);
  let ok = 0;
  for (let i = 0; i < 1000; i++) if (!refused(b.admit('PING', 0))) ok++;
  assert.equal(ok, REQUEST_BURST);
  assert.equal(b.refused, 1000 - REQUEST_BURST);
  assert.ok(refused(b.admit('GET_ROOT_HEADERS', 0)), 'data requests share the request budget');
  assert.ok(!refused(b.admit('PING', 10)), '10 ms at 200 a second is two more');
  assert.ok(!refused(b.admit('PING', 10)));
  assert.ok(refused(b.admit('PING', 10)));
});

test('peer budget: a response is sent only if it fits the byte budget whole; a spent budget refuses data requests but not PINGs', () => {
  const limits: BudgetLimits = { requestsPerSec: 1000, requestBurst: 1000, bytesPerSec: 1000, bytesBurst: 5000 };
  const b = new PeerBudget(limits, 0);
  assert.ok(!refused(b.spend(4000, 0)));
  assert.ok(refused(b.spend(1001, 0)), 'a response larger than what is left is not sent');
  assert.ok(!refused(b.admit('GET_ROOT_BLOCKS', 0)), '1,000 bytes left: still admitted');
  assert.ok(!refused(b.spend(1000, 0)));
  assert.ok(refused(b.admit('GET_SHARD_BLOCKS', 0)), 'nothing left: a data request is refused before any work');
  assert.ok(!refused(b.admit('PING', 0)), 'a PING needs a request token only');
  assert.ok(!refused(b.admit('GET_SHARD_BLOCKS', 1)), '1 ms later one byte came back');
  assert.equal(b.servedBytes, 5000);
});

test('peer budget: whatever a peer asks, it is never sent more than 256 MB in 25 s, and the largest frame still fits', () => {
  assert.ok(SERVED_BYTES_BURST >= MAX_FRAME_BYTES, 'a full frame can be served');
  assert.ok(maxServedBytes(DEFAULT_BUDGET, PULL_WINDOW_SEC) <= MAX_PULL_BYTES, 'burst + 25 s at the rate is under the cap');
  // A greedy peer: asks every millisecond, each answer a full frame (or a small one), for 25 s.
  const b = new PeerBudget(DEFAULT_BUDGET, 0);
  for (let t = 0; t <= PULL_WINDOW_SEC * 1000; t++) {
    if (refused(b.admit('GET_ROOT_BLOCKS', t))) continue;
    b.spend(t % 2 === 0 ? MAX_FRAME_BYTES : 100_000, t);
  }
  assert.ok(b.servedBytes <= MAX_PULL_BYTES, `${b.servedBytes} bytes served`);
  assert.ok(b.servedBytes >= maxServedBytes(DEFAULT_BUDGET, PULL_WINDOW_SEC) - MAX_FRAME_BYTES, 'and the budget is used, not starved');
});

test('budgets: connections from one non-loopback IP share one budget while any is open; loopback connections have one each', () => {
  const limits: BudgetLimits = { requestsPerSec: 1, requestBurst: 2, bytesPerSec: 1, bytesBurst: 1000 };
  const budgets = new Budgets(limits, () => 0);
  const a = budgets.open('10.0.0.7:40001');
  const b = budgets.open('::ffff:10.0.0.7:40002');
  assert.equal(a.budget, b.budget, 'the same IP, however the socket spells it');
  assert.ok(!refused(a.budget.admit('PING', 0)) && !refused(b.budget.admit('PING', 0)));
  assert.ok(refused(b.budget.admit('PING', 0)), 'the second connection spent the shared burst');
  assert.notEqual(budgets.open('10.0.0.8:1').budget, a.budget, 'another IP has its own');
  a.release();
  assert.equal(budgets.open('10.0.0.7:40003').budget, b.budget, 'still shared while one is open');
  const l1 = budgets.open('127.0.0.1:5');
  const l2 = budgets.open('127.0.0.1:6');
  assert.notEqual(l1.budget, l2.budget, 'loopback: local nodes share 127.0.0.1');
});

test('budgets: an IP that reconnects (under any id) keeps its spent budget for the pull window, then starts afresh', () => {
  let nowMs = 0;
  const budgets = new Budgets({ requestsPerSec: 1, requestBurst: 1, bytesPerSec: 1, bytesBurst: 1000 }, () => nowMs);
  const a = budgets.open('10.0.0.7:1');
  assert.ok(!refused(a.budget.admit('PING', 0)));
  a.release();
  a.release();
  nowMs = 100;
  const b = budgets.open('10.0.0.7:2');
  assert.equal(b.budget, a.budget, 'a reconnection does not refill the budget');
  assert.ok(refused(b.budget.admit('PING', nowMs)), 'the burst is still spent');
  b.release();
  nowMs = 100 + PULL_WINDOW_SEC * 1000;
  const c = budgets.open('10.0.0.7:3');
  assert.notEqual(c.budget, a.budget, 'idle for the pull window: a fresh budget');
  assert.ok(!refused(c.budget.admit('PING', nowMs)));
});
