/**
 * RootSynchronizer: one task at a time, heaviest tip first, a faulty peer reported and passed
 * over, a newer tip of the same peer replacing its older one (reference/sync.md §3: 17, 19, 52).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../../../../src/core/bytes.js';
import { invalid } from '../../../../src/core/errors.js';
import { rootSealHash, type RootHeader } from '../../../../src/core/rootBlock.js';
import type { PeerFault } from '../../../../src/p2p/peerFault.js';
import { RootSynchronizer } from '../../../../src/p2p/sync/rootSynchronizer.js';
import type { SyncResult } from '../../../../src/p2p/sync/syncOutcome.js';
import { findNonce } from '../../../utils/blockEdit.js';
import type { LocalNet } from '../../../utils/localNet.js';
import { mineRounds, NetSource, netTarget, openNet, tipHash, tipHeader } from './syncFixtures.js';

/** Request bound: the hanging peer costs this much. */
const SHORT_TIMEOUT_MS = 50;

interface Recorded {
  readonly faults: Array<[string, PeerFault]>;
  readonly results: Array<[string, RootHeader, SyncResult]>;
}

function recorder(): Recorded & { hooks: ConstructorParameters<typeof RootSynchronizer>[1] } {
  const faults: Array<[string, PeerFault]> = [];
  const results: Array<[string, RootHeader, SyncResult]> = [];
  return { faults, results, hooks: { onFault: (id, f) => faults.push([id, f]), onResult: (id, tip, r) => results.push([id, tip, r]) } };
}

/** A resealed copy of `h` claiming `factor` × its TD: a heavier tip nobody can serve. */
function inflated(net: LocalNet, h: RootHeader, factor: bigint): RootHeader {
  const f = { ...h, totalDifficulty: h.totalDifficulty * factor };
  return { ...f, nonce: findNonce(net.cfg.root.algo, rootSealHash(f), f.difficulty, f.height, f.mixhash, true) };
}

async function pair(rounds: number, fn: (peer: LocalNet, local: LocalNet) => Promise<void>): Promise<void> {
  const peer = await openNet();
  const local = await openNet();
  try {
    await mineRounds(peer, rounds);
    local.now = peer.now;
    await fn(peer, local);
  } finally {
    await peer.close();
    await local.close();
  }
}

test('RootSynchronizer: the heaviest peer goes first; when it hangs, it is reported and the next peer brings us to its tip', async () => {
  await pair(5, async (peer, local) => {
    const rec = recorder();
    const sync = new RootSynchronizer(netTarget(local), rec.hooks, { requestTimeoutMs: SHORT_TIMEOUT_MS });
    const stuck = new NetSource(peer, { hang: () => true }, { id: 'stuck' });
    sync.onPeerTip('stuck', stuck, inflated(peer, tipHeader(peer), 3n));
    sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tipHeader(peer));
    await sync.whenIdle();
    // 'stuck' was announced first and started at once; 'good' waited for its timeout; nothing left.
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(rec.results.map(([id, , r]) => [id, r.outcome.kind]), [['stuck', 'fault'], ['good', 'synced']]);
    assert.deepEqual(rec.faults.map(([id, f]) => [id, f.fault, f.fatal]), [['stuck', 'P2P_TIMEOUT', false]]);
    assert.deepEqual(sync.pendingPeers, []);
  });
});

test('RootSynchronizer: a heavier peer retargets the running task (PeerSwitchUp), queued tips run heaviest first, and a bad heavy peer does not stop a lighter good one', async () => {
  await pair(6, async (peer, local) => {
    const rec = recorder();
    const sync = new RootSynchronizer(netTarget(local), rec.hooks, { requestTimeoutMs: SHORT_TIMEOUT_MS });
    const at = (h: number): RootHeader => peer.root.index.canonicalAt(h)!.block.header;
    // 'first' runs at once (to height 2); meanwhile three more queue up, and the heaviest ('liar') stops it.
    sync.onPeerTip('first', new NetSource(peer, {}, { id: 'first', tipAt: 2 }), at(2));
    sync.onPeerTip('light', new NetSource(peer, {}, { id: 'light', tipAt: 4 }), at(4));
    sync.onPeerTip('liar', new NetSource(peer, { hang: () => true }, { id: 'liar' }), inflated(peer, tipHeader(peer), 4n));
    sync.onPeerTip('heavy', new NetSource(peer, {}, { id: 'heavy', tipAt: 6 }), at(6));
    await sync.whenIdle();
    assert.deepEqual(rec.results.map(([id, , r]) => [id, r.outcome.kind]), [['first', 'retarget'], ['liar', 'fault'], ['heavy', 'synced']],
      "'first' and 'light' are dropped: once 'heavy' is synced their tips are no longer heavier than ours");
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(rec.faults.map(([id]) => id), ['liar']);
  });
});

test('RootSynchronizer: a newer tip of the same peer replaces its older one; lighter or known tips are not queued', async () => {
  await pair(6, async (peer, local) => {
    const rec = recorder();
    const sync = new RootSynchronizer(netTarget(local), rec.hooks);
    const at = (h: number): RootHeader => peer.root.index.canonicalAt(h)!.block.header;
    const behind = (h: number): NetSource => new NetSource(peer, {}, { id: 'p', tipAt: h });
    const src = behind(5);
    sync.onPeerTip('p', behind(1), at(1)); // runs at once
    sync.onPeerTip('p', src, at(3));
    sync.onPeerTip('p', src, at(5)); // replaces 3
    sync.onPeerTip('p', src, at(4)); // lighter than the pending 5: ignored
    assert.equal(sync.pendingPeers.length, 1);
    await sync.whenIdle();
    assert.deepEqual(rec.results.map(([, tip]) => tip.height), [1, 5]);
    assert.equal(local.root.tip.height, 5);
    sync.onPeerTip('q', src, at(2)); // below our tip now
    sync.onPeerTip('q', src, at(5)); // known
    assert.deepEqual(sync.pendingPeers, []);
    sync.onPeerTip('p', behind(6), at(6)); // runs at once
    sync.onPeerTip('r', behind(6), inflated(peer, at(6), 2n)); // heavier: stops p's task, which goes back to the queue
    sync.removePeer('r');
    assert.deepEqual(sync.pendingPeers, []);
    await sync.whenIdle();
    assert.deepEqual(rec.results.map(([id, tip, r]) => `${id} ${tip.height} ${r.outcome.kind}`), ['p 1 synced', 'p 5 synced', 'p 6 retarget', 'p 6 synced'],
      "'r' left before its turn; p's task resumes");
    assert.equal(local.root.tip.height, 6);
  });
});

test('RootSynchronizer: a fault the transport already reported is not reported again; a throwing hook does not stop the queue', async () => {
  await pair(3, async (peer, local) => {
    const faults: string[] = [];
    const results: string[] = [];
    const sync = new RootSynchronizer(netTarget(local), {
      onFault: (id) => { faults.push(id); throw new Error('hook bug'); },
      onResult: (id, _tip, r) => { results.push(`${id} ${r.outcome.kind}`); throw new Error('hook bug'); },
    }, { requestTimeoutMs: SHORT_TIMEOUT_MS });
    const reported = new NetSource(peer, { headers: () => { throw invalid('P2P_TIMEOUT', 'transport'); } }, { id: 'reported', reports: true });
    const unreported = new NetSource(peer, { headers: () => { throw invalid('P2P_RESPONSE_MISMATCH', 'fake'); } }, { id: 'unreported' });
    sync.onPeerTip('reported', reported, tipHeader(peer));
    sync.onPeerTip('unreported', unreported, tipHeader(peer));
    sync.onPeerTip('good', new NetSource(peer), tipHeader(peer));
    await sync.whenIdle();
    assert.deepEqual(results, ['reported fault', 'unreported fault', 'good synced']);
    assert.deepEqual(faults, ['unreported']);
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
  });
});
