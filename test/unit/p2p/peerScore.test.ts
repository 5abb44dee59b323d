/** Peer scores (src/p2p/peerScore.ts) and idle-peer pings (src/p2p/peerLiveness.ts), on a hand-driven clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { internal, invalid } from '../../../src/core/errors.js';
import { peerFault } from '../../../src/p2p/peerFault.js';
import { pingIdlePeers, type LivePeer } from '../../../src/p2p/peerLiveness.js';
import { FAULT_PENALTIES, PeerScores, SCORE_BAN_THRESHOLD, SCORE_MAX, SCORE_RECOVERY_PER_SEC } from '../../../src/p2p/peerScore.js';

const timeout = peerFault('P2P_TIMEOUT', false, 'TIMEOUT', 'slow');
const stalled = peerFault('P2P_STALLED', false, 'TIMEOUT', 'handed off, then unanswered');
const badTx = peerFault('P2P_BAD_TX', false, 'BAD_RESPONSE', 'bad transfer');
const unlisted = peerFault('P2P_BAD_LIMIT', false, 'BAD_REQUEST', 'limit 0');

test('a peer never charged has the full score', () => {
  assert.equal(new PeerScores(() => 0).score('a'), SCORE_MAX);
});

test('each non-fatal fault lowers the score by its penalty; unlisted faults cost the default', () => {
  const s = new PeerScores(() => 0);
  assert.equal(s.charge('a', timeout).score, SCORE_MAX - FAULT_PENALTIES.P2P_TIMEOUT!);
  assert.equal(s.charge('a', badTx).score, SCORE_MAX - FAULT_PENALTIES.P2P_TIMEOUT! - FAULT_PENALTIES.P2P_BAD_TX!);
  assert.ok(s.charge('b', unlisted).score < SCORE_MAX);
  assert.equal(s.score('c'), SCORE_MAX, 'other peers untouched');
});

test('a stalling peer (its four requests in flight time out) falls to the threshold and is dropped', () => {
  const s = new PeerScores(() => 0);
  const drops = [1, 2, 3, 4].map(() => s.charge('a', timeout).drop);
  assert.deepEqual(drops, [false, false, false, true]);
  assert.ok(s.score('a') <= SCORE_BAN_THRESHOLD);
});

test('a peer that stalls two body downloads (each a timeout and P2P_STALLED) is dropped; one stall is survived', () => {
  let now = 0;
  const s = new PeerScores(() => now);
  assert.deepEqual([s.charge('a', timeout).drop, s.charge('a', stalled).drop], [false, false]);
  now += 1_000; // its second hung request times out a moment later
  assert.deepEqual([s.charge('a', timeout).drop, s.charge('a', stalled).drop], [false, true]);
});

test('stalls a request timeout (30 s) apart: the second leaves the peer at 20, the third drops it', () => {
  let now = 0;
  const s = new PeerScores(() => now);
  const stall = (): boolean => [s.charge('a', timeout).drop, s.charge('a', stalled).drop].some(Boolean);
  assert.equal(stall(), false);
  now += 30_000;
  assert.equal(stall(), false);
  assert.equal(s.score('a'), SCORE_MAX - 2 * (FAULT_PENALTIES.P2P_TIMEOUT! + FAULT_PENALTIES.P2P_STALLED!) + 30 * SCORE_RECOVERY_PER_SEC);
  now += 30_000;
  assert.equal(stall(), true);
});

test('the score recovers over time, up to the maximum', () => {
  let now = 0;
  const s = new PeerScores(() => now);
  s.charge('a', timeout);
  now = 10_000;
  assert.equal(s.score('a'), SCORE_MAX - FAULT_PENALTIES.P2P_TIMEOUT! + 10 * SCORE_RECOVERY_PER_SEC);
  now = 10_000_000;
  assert.equal(s.score('a'), SCORE_MAX);
  // Recovered: three more timeouts far apart never drop it.
  for (let i = 0; i < 3; i++) {
    now += 60_000;
    assert.equal(s.charge('a', timeout).drop, false);
  }
});

test('ten timeouts one request timeout (30 s) apart never drop the peer: each is forgiven before the next', () => {
  let now = 0;
  const slow = new PeerScores(() => now);
  let dropped = false;
  for (let i = 0; i < 10; i++) {
    now += 30_000; // one timeout per request timeout
    dropped ||= slow.charge('a', timeout).drop;
  }
  assert.equal(dropped, false);
});

interface FakePeer extends LivePeer {
  pings: number;
  closed?: string;
}

function fakePeer(lastHeardAt: number, answer: () => Promise<never> | Promise<{ type: 'PONG'; requestId: number }>, outstanding = 0): FakePeer {
  const p: FakePeer = {
    pings: 0, lastHeardAt, outstanding, isReady: true,
    request: () => {
      p.pings++;
      return answer();
    },
    disconnect: (reason) => {
      p.closed = reason;
    },
  };
  return p;
}

test('idle peers are pinged; busy or recently heard ones are not', () => {
  const pong = () => Promise.resolve({ type: 'PONG' as const, requestId: 1 });
  const idle = fakePeer(0, pong);
  const recent = fakePeer(900, pong);
  const busy = fakePeer(0, pong, 1);
  assert.equal(pingIdlePeers([idle, recent, busy], 1000, 500), 1);
  assert.deepEqual([idle.pings, recent.pings, busy.pings], [1, 0, 0]);
});

test('a peer whose PING times out is dropped; one gone or answering is not', async () => {
  const dead = fakePeer(0, () => Promise.reject(invalid('P2P_TIMEOUT', 'no PONG')));
  const gone = fakePeer(0, () => Promise.reject(internal('P2P_PEER_CLOSED', 'closed')));
  const alive = fakePeer(0, () => Promise.resolve({ type: 'PONG' as const, requestId: 1 }));
  pingIdlePeers([dead, gone, alive], 1000, 500);
  await new Promise((r) => setImmediate(r));
  assert.equal(dead.closed, 'TIMEOUT');
  assert.equal(gone.closed, undefined);
  assert.equal(alive.closed, undefined);
});
