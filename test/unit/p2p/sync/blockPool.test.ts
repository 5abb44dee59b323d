/**
 * The block pool: root sync with bodies from several peers, retries elsewhere, and peer switching,
 * through RootSynchronizer over fake peers serving real chains (reference/sync.md §3: 7, 8, 11,
 * 19, 25, 31, 34).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../../../../src/core/bytes.js';
import { rootSealHash, type RootHeader } from '../../../../src/core/rootBlock.js';
import type { PeerFault } from '../../../../src/p2p/peerFault.js';
import { MIN_HEAD_SLOW_REQUEST_MS } from '../../../../src/p2p/sync/downloadBodies.js';
import { RootSynchronizer } from '../../../../src/p2p/sync/rootSynchronizer.js';
import type { SyncResult } from '../../../../src/p2p/sync/syncOutcome.js';
import { findNonce } from '../../../utils/blockEdit.js';
import { until } from '../../../utils/until.js';
import type { LocalNet } from '../../../utils/localNet.js';
import { badSeal, withPair } from './syncHarness.js';
import { NetSource, netTarget, tipHash, tipHeader, type Misbehaviour } from './syncFixtures.js';

const SHORT_TIMEOUT_MS = 50;
/** Long enough that a test waiting for it would visibly hang: used where the point is that nothing waits for a timeout. */
const LONG_TIMEOUT_MS = 60_000;
const ROUNDS = 8;

interface Run {
  readonly sync: RootSynchronizer;
  readonly faults: Array<[string, PeerFault]>;
  readonly results: Array<[string, SyncResult]>;
}

function synchronizer(local: LocalNet, o: { requestTimeoutMs?: number; onRootBlock?: (height: number) => void; onHeaderRules?: (h: RootHeader) => void } = {}): Run {
  const faults: Array<[string, PeerFault]> = [];
  const results: Array<[string, SyncResult]> = [];
  const target = netTarget(local, { root: (rb) => o.onRootBlock?.(rb.header.height) });
  const validateHeader = target.validateHeader;
  target.validateHeader = (h, parent) => { o.onHeaderRules?.(h); validateHeader(h, parent); };
  const sync = new RootSynchronizer(target, { onFault: (id, f) => faults.push([id, f]), onResult: (id, _t, r) => results.push([id, r]) },
    { bodyBatch: 1, requestTimeoutMs: o.requestTimeoutMs ?? SHORT_TIMEOUT_MS });
  return { sync, faults, results };
}

const served = (src: NetSource): number => src.log.filter((l) => l.startsWith('rootBlocks')).length;
const kinds = (run: Run): string[][] => run.results.map(([id, r]) => [id, r.outcome.kind]);
const at = (net: LocalNet, h: number): RootHeader => net.root.index.canonicalAt(h)!.block.header;

test('BlockTaking from three peers at once: every peer serves part of the bodies, the chain is complete', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local);
    const srcs = ['a', 'b', 'c'].map((id) => new NetSource(peer, {}, { id }));
    srcs.forEach((s) => run.sync.onPeerTip(s.id, s, tipHeader(peer)));
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(kinds(run), [['a', 'synced']]);
    for (const s of srcs) assert.ok(served(s) > 0, `${s.id} served root blocks`);
    assert.equal(srcs.reduce((n, s) => n + served(s), 0), ROUNDS, 'each batch downloaded once');
  });
});

test('VerifyPoW: a helper serving a block with a bad seal is reported once (fatal) and the batch comes from another peer', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local);
    const forge: Misbehaviour = { rootBlocks: (_h, honest) => honest.map((b) => ({ ...b, header: badSeal(b.header, peer.cfg.root.algo) })) };
    run.sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tipHeader(peer));
    run.sync.onPeerTip('forger', new NetSource(peer, forge, { id: 'forger' }), tipHeader(peer));
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(run.faults.map(([id, f]) => [id, f.fault, f.fatal]), [['forger', 'P2P_BLOCK_MISMATCH', true]]);
    assert.deepEqual(kinds(run), [['good', 'synced']]);
  });
});

test('NonExistingBlockAttack / withholding: a helper that answers without the blocks costs only its batches (not fatal)', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local);
    run.sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tipHeader(peer));
    run.sync.onPeerTip('withholder', new NetSource(peer, { rootBlocks: () => [] }, { id: 'withholder' }), tipHeader(peer));
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.ok(run.faults.length > 0);
    for (const [id, f] of run.faults) assert.deepEqual([id, f.fault, f.fatal], ['withholder', 'P2P_SHORT_RESPONSE', false]);
  });
});

test('stalling helper: its requests time out, each batch it held goes to another peer, the sync completes', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local);
    run.sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tipHeader(peer));
    const staller = new NetSource(peer, { hang: (kind) => kind !== 'headers' }, { id: 'staller' });
    run.sync.onPeerTip('staller', staller, tipHeader(peer));
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.ok(served(staller) > 0, 'the staller was given batches');
    for (const [id, f] of run.faults) assert.deepEqual([id, f.fault], ['staller', 'P2P_TIMEOUT']);
    assert.deepEqual(kinds(run), [['good', 'synced']]);
  });
});

test('PeerSwitchUp: a heavier peer appearing mid-sync retargets the task; the blocks already added are kept, not fetched again, the headers checked not checked again', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const heavy = new NetSource(peer, {}, { id: 'heavy' });
    const ruled = new Map<number, number>();
    // 'heavy' (tip at 8) announces itself as 'light' (tip at 5) adds its second block.
    const run: Run = synchronizer(local, {
      onRootBlock: (h) => { if (h === 2) run.sync.onPeerTip('heavy', heavy, tipHeader(peer)); },
      onHeaderRules: (h) => ruled.set(h.height, (ruled.get(h.height) ?? 0) + 1),
    });
    const light = new NetSource(peer, {}, { id: 'light', tipAt: 5 });
    run.sync.onPeerTip('light', light, at(peer, 5));
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(kinds(run), [['light', 'retarget'], ['heavy', 'synced']], JSON.stringify(run.results.map(([id, r]) => [id, r.outcome.kind, r.stats])));
    const [[, first], [, second]] = run.results as [[string, SyncResult], [string, SyncResult]];
    assert.ok(first.stats.rootBlocksAdded >= 1);
    assert.equal(first.stats.rootBlocksAdded + second.stats.rootBlocksAdded, ROUNDS, 'no block added twice: the work before the switch was kept');
    // What the first task downloaded ahead and did not apply is the second's, not fetched again.
    assert.ok(second.stats.carriedBodies >= 1, `bodies carried over: ${second.stats.carriedBodies}`);
    assert.equal(served(light) + served(heavy), ROUNDS, 'every root block body fetched once');
    assert.equal(first.stats.bodies + second.stats.bodies, ROUNDS, 'downloaded once in all (the first task counts the ones it carried over)');
    // The second task downloads 'heavy's headers from the blocks added on; those the first had checked pass on their hash.
    assert.ok(second.stats.headersKnown >= 1, `headers known: ${second.stats.headersKnown}`);
    assert.deepEqual([...ruled].filter(([, n]) => n !== 1), [], 'every header through the rules once');
  });
});

test('PeerSwitchDown: the best peer leaving hands the sync to the next best at once (no timeout), keeping what was added', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local, { requestTimeoutMs: LONG_TIMEOUT_MS });
    // 'best' (tip 8) serves two batches, then stops answering and disconnects; 'next' (tip 7) serves the batches between.
    const best = new NetSource(peer, {
      hang: (kind, call) => {
        const stalls = kind === 'rootBlocks' && call >= 2;
        if (stalls) setImmediate(() => run.sync.removePeer('best'));
        return stalls;
      },
    }, { id: 'best' });
    run.sync.onPeerTip('best', best, tipHeader(peer));
    run.sync.onPeerTip('next', new NetSource(peer, {}, { id: 'next', tipAt: 7 }), at(peer, 7));
    await run.sync.whenIdle();
    assert.equal(local.root.tip.height, 7, "the next best peer's tip");
    assert.deepEqual(kinds(run), [['best', 'aborted'], ['next', 'synced']]);
    const [, first] = run.results[0]!;
    assert.equal(first.outcome.kind === 'aborted' && first.outcome.error.code, 'P2P_PEER_CLOSED', 'ended by the departure, not by a timeout');
    const [, second] = run.results[1]!;
    assert.ok(first.stats.rootBlocksAdded >= 2, 'blocks were added before the departure');
    assert.equal(first.stats.rootBlocksAdded + second.stats.rootBlocksAdded, 7, 'nothing added twice');
    assert.deepEqual(run.faults, []);
  });
});

test('PeerSwitchBack: a heavier peer promoted then leaving hands the sync back to the first, which completes', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local, { requestTimeoutMs: LONG_TIMEOUT_MS });
    const liarTip = { ...tipHeader(peer), totalDifficulty: tipHeader(peer).totalDifficulty * 2n };
    const resealed = { ...liarTip, nonce: findNonce(peer.cfg.root.algo, rootSealHash(liarTip), liarTip.difficulty, liarTip.height, liarTip.mixhash, true) };
    const liar = new NetSource(peer, { hang: () => {
      setImmediate(() => run.sync.removePeer('liar'));
      return true;
    } }, { id: 'liar' });
    let promoted = false;
    const first = new NetSource(peer, { rootBlocks: (_h, honest) => {
      if (!promoted) {
        promoted = true;
        run.sync.onPeerTip('liar', liar, resealed);
      }
      return honest;
    } }, { id: 'first' });
    run.sync.onPeerTip('first', first, tipHeader(peer));
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(kinds(run), [['first', 'retarget'], ['liar', 'aborted'], ['first', 'synced']]);
  });
});

/** `peer`'s tip claiming three times its total difficulty, sealed again so that the claim passes the announced tip's seal check. */
function heavierMadeUpTip(peer: LocalNet): RootHeader {
  const tip = tipHeader(peer);
  const claimed = { ...tip, totalDifficulty: tip.totalDifficulty * 3n };
  return { ...claimed, nonce: findNonce(peer.cfg.root.algo, rootSealHash(claimed), claimed.difficulty, claimed.height, claimed.mixhash, true) };
}

test('MadeupHashChainAttack: a peer announcing a heavier made-up chain is caught on its first header (fatal) and sync completes from the good peer', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local);
    const tip = tipHeader(peer);
    const resealed = heavierMadeUpTip(peer);
    const madeUp: Misbehaviour = {
      headers: (_q, honest) => ({ rootTip: resealed, headers: honest.headers.map((h) => badSeal(h, peer.cfg.root.algo)) }),
    };
    run.sync.onPeerTip('liar', new NetSource(peer, madeUp, { id: 'liar' }), resealed);
    run.sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tip);
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(run.faults.map(([id, f]) => [id, f.fault, f.fatal]), [['liar', 'P2P_BAD_SEAL', true]]);
    assert.deepEqual(kinds(run), [['liar', 'fault'], ['good', 'synced']]);
  });
});

test('a header that failed the rules is not kept as checked: a second peer serving it is caught on it too', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local);
    const tip = tipHeader(peer);
    const resealed = heavierMadeUpTip(peer);
    // Honest headers but the third, whose seal is broken: the first two pass the rules in the same batch.
    const forged: Misbehaviour = { headers: (_q, honest) => ({ rootTip: resealed, headers: honest.headers.map((h, i) => (i === 2 ? badSeal(h, peer.cfg.root.algo) : h)) }) };
    run.sync.onPeerTip('liar1', new NetSource(peer, forged, { id: 'liar1' }), resealed);
    run.sync.onPeerTip('liar2', new NetSource(peer, forged, { id: 'liar2' }), resealed);
    run.sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tip);
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(run.faults.map(([id, f]) => [id, f.fault]), [['liar1', 'P2P_BAD_SEAL'], ['liar2', 'P2P_BAD_SEAL']]);
    assert.deepEqual(kinds(run), [['liar1', 'fault'], ['liar2', 'fault'], ['good', 'synced']]);
  });
});

/** A peer whose block requests wait until `release()` (then answer honestly): a stall that a test can end. */
class GatedSource extends NetSource {
  /** Block requests received, and answered (after the release). */
  asked = 0;
  answered = 0;
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((r) => { this.open = r; });
  release(): void {
    this.open();
  }
  override async getRootBlocks(hashes: Parameters<NetSource['getRootBlocks']>[0]): ReturnType<NetSource['getRootBlocks']> {
    this.log.push(`rootBlocks ${hashes.length}`);
    this.asked++;
    await this.gate;
    const blocks = await super.getRootBlocks(hashes);
    this.answered++;
    return blocks;
  }
}

test('stalling helper, long timeout: its batches are handed to another peer long before the timeout, without a fault', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local, { requestTimeoutMs: LONG_TIMEOUT_MS });
    const staller = new GatedSource(peer, {}, { id: 'staller' });
    try {
      run.sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tipHeader(peer));
      run.sync.onPeerTip('staller', staller, tipHeader(peer));
      await run.sync.whenIdle();
      assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
      assert.ok(served(staller) > 0, 'the staller was given batches');
      assert.deepEqual(run.faults, [], 'no timeout: the slow batches went elsewhere first');
      assert.deepEqual(kinds(run), [['good', 'synced']]);
      // Its late answers come: a slow peer, not a stalled one, pays nothing for them.
      staller.release();
      await until('the late answers', () => staller.answered === staller.asked, LONG_TIMEOUT_MS / 10, 20);
      assert.deepEqual(run.faults, []);
    } finally {
      staller.release();
    }
  });
});

/** A peer whose root-block answers come this late: below any hand-off (MIN_HEAD_SLOW_REQUEST_MS), so it is never found slow itself. */
const SLOW_ANSWER_MS = MIN_HEAD_SLOW_REQUEST_MS / 2;

/** A peer that answers root-block requests SLOW_ANSWER_MS late; `onAsk` is told of each request as it comes. */
class SlowSource extends NetSource {
  asked = 0;
  onAsk: () => void = () => undefined;
  override async getRootBlocks(hashes: Parameters<NetSource['getRootBlocks']>[0]): ReturnType<NetSource['getRootBlocks']> {
    this.asked++;
    this.onAsk();
    await new Promise((r) => setTimeout(r, SLOW_ANSWER_MS));
    return super.getRootBlocks(hashes);
  }
}

test('stalling helper answering once its batches went elsewhere: its late root blocks bring no request for the shard blocks they list', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local, { requestTimeoutMs: LONG_TIMEOUT_MS });
    const good = new SlowSource(peer, {}, { id: 'good' });
    const staller = new GatedSource(peer, {}, { id: 'staller' });
    // A batch asked for twice: the staller's went to the good peer, whose answer is SLOW_ANSWER_MS away. The staller answers at once,
    // while the shard blocks its root blocks list are still missing.
    good.onAsk = () => { if (good.asked + staller.asked > ROUNDS) staller.release(); };
    try {
      run.sync.onPeerTip('good', good, tipHeader(peer));
      run.sync.onPeerTip('staller', staller, tipHeader(peer));
      await run.sync.whenIdle();
      assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
      assert.ok(staller.asked > 0 && good.asked + staller.asked > ROUNDS, 'the staller\'s batches went to the good peer');
      await until('the late answers', () => staller.answered === staller.asked, LONG_TIMEOUT_MS / 10, 5);
      assert.deepEqual(staller.log.filter((l) => l.startsWith('minorBlocks')), [], 'no shard blocks asked of it after its late root blocks');
      assert.deepEqual(run.faults, []);
    } finally {
      staller.release();
    }
  });
});

/** Above the hand-off of a slow download (MIN_SLOW_REQUEST_MS, 150 ms, at these round trips), so the staller's batches go elsewhere before its requests time out. */
const STALL_TIMEOUT_MS = 600;

test('stalling helper, timeout after the hand-off: its batches go to another peer first, then each of its requests that times out costs P2P_STALLED on top of P2P_TIMEOUT', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local, { requestTimeoutMs: STALL_TIMEOUT_MS });
    const staller = new NetSource(peer, { hang: (kind) => kind === 'rootBlocks' }, { id: 'staller' });
    run.sync.onPeerTip('good', new NetSource(peer, {}, { id: 'good' }), tipHeader(peer));
    run.sync.onPeerTip('staller', staller, tipHeader(peer));
    await run.sync.whenIdle();
    assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
    assert.deepEqual(kinds(run), [['good', 'synced']]);
    const hung = served(staller);
    assert.ok(hung > 0, 'the staller was given batches');
    const charged = (code: string): number => run.faults.filter(([id, f]) => id === 'staller' && f.fault === code).length;
    await until('every hung request to time out', () => charged('P2P_TIMEOUT') === hung, STALL_TIMEOUT_MS * 4, 20);
    assert.equal(charged('P2P_STALLED'), hung, 'each timed-out request had been handed off first');
    assert.deepEqual(run.faults.filter(([id]) => id !== 'staller'), []);
    assert.ok(run.faults.every(([, f]) => !f.fatal));
  });
});

test('PeerSwitchDown to an equally heavy peer: the task goes on with it, its checked headers kept, no new task', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const run = synchronizer(local, { requestTimeoutMs: LONG_TIMEOUT_MS });
    const best = new GatedSource(peer, {}, { id: 'best' });
    const other = new NetSource(peer, {}, { id: 'other' });
    try {
      run.sync.onPeerTip('best', best, tipHeader(peer));
      run.sync.onPeerTip('other', other, tipHeader(peer));
      await new Promise((r) => setImmediate(r));
      run.sync.removePeer('best'); // its batches never come
      await run.sync.whenIdle();
      assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)));
      assert.deepEqual(kinds(run), [['best', 'synced']], 'one task: the headers checked from best were not fetched again');
      assert.equal(served(other), ROUNDS, 'other served every batch (best answered none)');
      assert.deepEqual(run.faults, []);
    } finally {
      best.release();
    }
  });
});
