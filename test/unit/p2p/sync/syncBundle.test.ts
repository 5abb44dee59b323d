/**
 * Root sync with shard blocks bundled in the root-blocks answers (src/p2p/rootBundle.ts): all
 * bundled (no GET_SHARD_BLOCKS at all), partly bundled (the rest requested), several peers, and
 * bundles that break the rules (unasked, not the listed blocks, over the cap) as peer faults
 * caught before anything of the batch is added.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMinorBlock } from '../../../../src/core/minorBlock.js';
import { RootSynchronizer } from '../../../../src/p2p/sync/rootSynchronizer.js';
import { syncRoot } from '../../../../src/p2p/sync/syncRootTask.js';
import type { SyncResult } from '../../../../src/p2p/sync/syncOutcome.js';
import type { SyncRootOptions } from '../../../../src/p2p/sync/syncRootTask.js';
import type { LocalNet } from '../../../utils/localNet.js';
import { NetSource, netTarget, tipHeader, type Misbehaviour } from './syncFixtures.js';
import { assertSameChain, faultCode, nothingAdded, withPair } from './syncHarness.js';

const ROUNDS = 6;

async function bundledSync(bad: Misbehaviour, opts: SyncRootOptions, check: (r: SyncResult, local: LocalNet, peer: LocalNet, src: NetSource) => Promise<void> | void): Promise<void> {
  await withPair(ROUNDS, async (peer, local) => {
    const src = new NetSource(peer, bad, { bundle: true });
    await check(await syncRoot(src, netTarget(local), tipHeader(peer), { requestTimeoutMs: 5_000, ...opts }), local, peer, src);
  });
}

const minorRequests = (src: NetSource): number => src.log.filter((l) => l.startsWith('minorBlocks')).length;

test('bundle: every listed shard block comes with its root block: one round trip per batch, no GET_SHARD_BLOCKS', async () => {
  await bundledSync({}, {}, async (r, local, peer, src) => {
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.minorBlocks, ROUNDS * peer.ids.length);
    assert.equal(r.stats.bundledBlocks, ROUNDS * peer.ids.length);
    assert.equal(r.stats.minorRequests, 0);
    assert.equal(minorRequests(src), 0);
    assert.ok(src.log.includes('bundle 4194304'), `the default cap is asked for: ${src.log.join(', ')}`);
  });
});

test('bundle: partly bundled answers (the server stops early) are completed with GET_SHARD_BLOCKS, in chain order', async () => {
  // Each root block's list cut to its first block: the rest of every listing is requested.
  await bundledSync({ bundle: (honest) => honest?.map((l) => l.slice(0, 1)) }, {}, async (r, local, peer, src) => {
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.bundledBlocks, ROUNDS);
    assert.equal(r.stats.minorBlocks, ROUNDS * peer.ids.length);
    assert.ok(minorRequests(src) > 0 && minorRequests(src) <= ROUNDS * (peer.ids.length - 1));
  });
  // No bundle at all (a server that does not bundle): as before.
  await bundledSync({ bundle: () => undefined }, {}, async (r, local, peer) => {
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.bundledBlocks, 0);
    assert.equal(r.stats.minorBlocks, ROUNDS * peer.ids.length);
    assert.equal(r.stats.minorRequests, peer.ids.length, 'one batch of 6 root blocks: one request per shard');
  });
});

test('bundle: a small byte cap bundles what fits, the rest is requested; bundleBytes 0 asks for none', async () => {
  await bundledSync({}, { bundleBytes: 1, bodyBatch: 2 }, async (r, local, peer, src) => {
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.bundledBlocks, 0, 'no block fits in 1 byte');
    assert.ok(src.log.includes('bundle 1'));
  });
  await bundledSync({}, { bundleBytes: 0 }, async (r, local, peer, src) => {
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.bundledBlocks, 0);
    assert.ok(src.log.includes('bundle none'));
  });
  // One block's worth (the largest): at least one bundled per batch, never all.
  let cap = 0;
  await bundledSync({ bundle: (honest) => { cap = Math.max(cap, ...(honest ?? []).flat().map((b) => encodeMinorBlock(b).length)); return honest; } }, {}, () => undefined);
  await bundledSync({}, { bundleBytes: cap, bodyBatch: 1 }, async (r, local, peer) => {
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.bundledBlocks, ROUNDS, 'one block per root block fits');
    assert.equal(r.stats.minorBlocks, ROUNDS * peer.ids.length);
  });
});

test('bundle: a bundle that is not the listed blocks, unasked, or over the cap is a fatal fault; nothing of the batch is added', async () => {
  await bundledSync({ bundle: (honest) => honest?.map((l) => [...l].reverse()) }, { bodyBatch: ROUNDS }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_BLOCK_MISMATCH');
    nothingAdded(local);
  });
  await bundledSync({ bundle: (honest) => honest?.map((l, i) => (i === 0 ? [...l, l[0]!] : l)) }, { bodyBatch: ROUNDS }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_TOO_MANY_ITEMS', 'more blocks than the root block lists');
    nothingAdded(local);
  });
  await bundledSync({ bundle: (honest) => honest?.slice(1) }, { bodyBatch: ROUNDS }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_BLOCK_MISMATCH', 'a list missing');
    nothingAdded(local);
  });
  await bundledSync({ bundle: (_h, blocks) => blocks.map(() => []) }, { bodyBatch: ROUNDS, bundleBytes: 0 }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_TOO_MANY_ITEMS', 'a bundle nobody asked for');
    nothingAdded(local);
  });
  let all: Parameters<NonNullable<Misbehaviour['bundle']>>[0];
  await bundledSync({ bundle: (honest) => { all ??= honest; return honest; } }, { bodyBatch: ROUNDS }, () => undefined);
  await bundledSync({ bundle: () => all }, { bodyBatch: ROUNDS, bundleBytes: 1 }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_TOO_MANY_ITEMS', 'over the stated cap');
    assert.equal(r.outcome.kind === 'fault' && r.outcome.fault.fatal, true);
    nothingAdded(local);
  });
});

test('bundle: the block pool takes bundles from several peers, fully and partly bundled, and applies them in chain order', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const results: SyncResult[] = [];
    const heights: number[] = [];
    const sync = new RootSynchronizer(netTarget(local, { root: (rb) => heights.push(rb.header.height) }), { onFault: () => undefined, onResult: (_id, _t, r) => results.push(r) },
      { bodyBatch: 1, requestTimeoutMs: 5_000 });
    const srcs = [
      new NetSource(peer, {}, { id: 'a', bundle: true }),
      new NetSource(peer, { bundle: (honest) => honest?.map((l) => l.slice(0, 1)) }, { id: 'b', bundle: true }),
      new NetSource(peer, {}, { id: 'c' }),
    ];
    for (const s of srcs) sync.onPeerTip(s.id, s, tipHeader(peer));
    await sync.whenIdle();
    await assertSameChain(local, peer);
    assert.deepEqual(results.map((r) => r.outcome.kind), ['synced']);
    assert.deepEqual(heights, Array.from({ length: ROUNDS }, (_, i) => i + 1), 'root blocks added in chain order');
    assert.equal(minorRequests(srcs[0]!), 0, 'a full bundle needs no shard block request');
    assert.equal(results[0]!.stats.minorBlocks, ROUNDS * peer.ids.length);
  });
});
