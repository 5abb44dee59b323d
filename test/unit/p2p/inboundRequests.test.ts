import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundRequests } from '../../../src/p2p/inboundRequests.js';
import type { PeerDecision } from '../../../src/p2p/peerFault.js';
import { MAX_OUTSTANDING_REQUESTS } from '../../../src/p2p/requestTracker.js';

function expectFault(d: PeerDecision, fault: string): void {
  assert.ok(!d.ok, `expected ${fault}, got ok`);
  assert.deepEqual({ fault: d.fault, fatal: d.fatal, reason: d.reason }, { fault, fatal: true, reason: 'BAD_REQUEST' });
}

test('inbound requests: up to 8 in flight; a 9th is flooding', () => {
  const r = new InboundRequests();
  for (let id = 1; id <= MAX_OUTSTANDING_REQUESTS; id++) assert.deepEqual(r.begin(id), { ok: true });
  expectFault(r.begin(100), 'P2P_TOO_MANY_REQUESTS');
  assert.equal(r.size, MAX_OUTSTANDING_REQUESTS, 'the refused request is not recorded');
  r.end(3);
  assert.deepEqual(r.begin(100), { ok: true }, 'room again once one is answered');
});

test('inbound requests: an id reused while in flight is a fault; once answered it may be reused', () => {
  const r = new InboundRequests();
  assert.deepEqual(r.begin(7), { ok: true });
  expectFault(r.begin(7), 'P2P_DUPLICATE_REQUEST_ID');
  r.end(7);
  assert.deepEqual(r.begin(7), { ok: true });
  r.end(12345);
  assert.equal(r.size, 1, 'ending an unknown id changes nothing');
});
