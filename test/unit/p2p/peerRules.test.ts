import { test } from 'node:test';
import assert from 'node:assert/strict';
import { internal } from '../../../src/core/errors.js';
import { decodeMessage } from '../../../src/p2p/messages.js';
import {
  BAN_MS, checkHello, InboundRequests, malformedFrameFault, PeerTips, RequestTracker,
} from '../../../src/p2p/peerRules.js';

test('peer rules: a frame that does not decode is a fatal BAD_MESSAGE fault with the decode code', () => {
  for (const [frame, code] of [[new Uint8Array(0), 'P2P_TRUNCATED'], [Uint8Array.of(0xee), 'P2P_UNKNOWN_TYPE'], [Uint8Array.of(0x18, 0, 0, 0, 1, 9), 'P2P_TRAILING']] as const) {
    let fault;
    try {
      decodeMessage(frame);
    } catch (e) {
      fault = malformedFrameFault(e);
    }
    assert.ok(fault, `${code}: a fault`);
    assert.deepEqual({ ok: fault.ok, fault: fault.fault, fatal: fault.fatal, reason: fault.reason }, { ok: false, fault: code, fatal: true, reason: 'BAD_MESSAGE' });
  }
});

test('peer rules: our own failures are nobody else\'s fault', () => {
  assert.equal(malformedFrameFault(internal('P2P_DECODE_FAILED', 'bug')), undefined);
  assert.equal(malformedFrameFault(new TypeError('bug')), undefined);
});

test('peer rules: one entry point for every rule, and a 300 s ban', () => {
  assert.equal(BAN_MS, 300_000);
  assert.equal(typeof checkHello, 'function');
  assert.ok(new PeerTips() && new RequestTracker() && new InboundRequests());
});
