/**
 * syncRoot against real chains (LocalNet) through an honest fake peer: from genesis, from a
 * shared prefix, across forks of every search shape, a moving peer (reference/sync.md §3: 37-43, 50).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equalBytes } from '../../../../src/core/bytes.js';
import { syncRoot } from '../../../../src/p2p/sync/syncRootTask.js';
import type { SyncSource } from '../../../../src/p2p/sync/syncSource.js';
import { copyChain, forkedPair, hashOf, mineRounds, NetSource, netTarget, openNet, tipHash, tipHeader } from './syncFixtures.js';
import { assertSameChain, badSeal, faultCode, withNets, withPair } from './syncHarness.js';

test('syncRoot: from genesis to a 6-block peer (sync_from_genesis): every root and minor block added, minor blocks first', async () => {
  await withPair(6, async (peer, local) => {
    const target = netTarget(local);
    const phases: string[] = [];
    const r = await syncRoot(new NetSource(peer), target, tipHeader(peer), { onPhase: (p) => phases.push(p) });
    assert.deepEqual(phases, ['check', 'ancestor', 'headers', 'bodies', 'done']);
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.bodies, 6);
    assert.equal(r.stats.rootBlocksAdded, 6);
    assert.equal(r.stats.minorBlocks, 6 * peer.ids.length);
    assert.equal(r.stats.lookups, 0, 'no search: genesis, our only block, is shared by every peer that passed HELLO');
    // Each root block's minor blocks reach the shards before it.
    assert.deepEqual(target.calls.slice(0, peer.ids.length + 1), [...peer.ids.map((id) => `minor 0x${id.toString(16)} 1`), 'root 1']);
  });
});

test('syncRoot: from a shared prefix of 3 (sync_from_height_3): 7 blocks, 1 lookup; then one new block takes no header request', async () => {
  const peer = await openNet();
  const local = await openNet();
  await withNets([peer, local], async () => {
    await mineRounds(peer, 10);
    await copyChain(peer, local, 3);
    local.now = peer.now;
    const r = await syncRoot(new NetSource(peer), netTarget(local), tipHeader(peer));
    assert.equal(r.outcome.kind, 'synced');
    assert.equal(r.stats.bodies, 7);
    assert.equal(r.stats.lookups, 1);
    await mineRounds(peer, 1);
    local.now = peer.now;
    const src = new NetSource(peer);
    const r2 = await syncRoot(src, netTarget(local), tipHeader(peer));
    assert.equal(r2.outcome.kind, 'synced');
    assert.equal(r2.stats.lookups + r2.stats.headerRequests, 0, 'the tip\'s parent is known: no header request');
    assert.deepEqual(src.log, ['rootBlocks 1', ...peer.ids.map((id) => `minorBlocks 0x${id.toString(16)} 1`)]);
    await assertSameChain(local, peer);
  });
});

test('syncRoot: across a fork (sync_with_fork): the local chain re-orgs onto the peer\'s, shard tips follow', async () => {
  const { peer, local } = await forkedPair(2, 6, 3);
  await withNets([peer, local], async () => {
    assert.ok(peer.root.tip.td > local.root.tip.td);
    const ownTip = tipHash(local);
    const r = await syncRoot(new NetSource(peer), netTarget(local), tipHeader(peer));
    assert.equal(r.outcome.kind, 'synced');
    assert.equal(r.stats.bodies, 6, 'only the blocks above the fork point');
    assert.equal(r.stats.lookups, 1);
    await assertSameChain(local, peer);
    assert.ok(local.root.index.has(ownTip) && !local.root.index.isCanonical(local.root.index.get(ownTip)!), 'our own fork is kept, no longer canonical');
  });
});

test('syncRoot: several lookups (multiple_lookup, start_equal_end, best_ancestor) find the newest common block', async () => {
  const cases = [
    { name: 'multiple_lookup', shared: 4, localOwn: 4, peerTotal: 12, samples: 4, blocks: 8, lookups: 2 },
    { name: 'start_equal_end', shared: 3, localOwn: 1, peerTotal: 5, samples: 3, blocks: 2, lookups: 2 },
    { name: 'best_ancestor', shared: 2, localOwn: 2, peerTotal: 5, samples: 3, blocks: 3, lookups: 2 },
  ];
  for (const c of cases) {
    const { peer, local } = await forkedPair(c.shared, c.peerTotal - c.shared, c.localOwn);
    await withNets([peer, local], async () => {
      assert.ok(peer.root.tip.td > local.root.tip.td, `${c.name}: the peer is heavier`);
      const r = await syncRoot(new NetSource(peer), netTarget(local), tipHeader(peer), { searchSamples: c.samples, headerBatch: c.samples });
      assert.equal(r.outcome.kind, 'synced', c.name);
      assert.equal(r.stats.bodies, c.blocks, `${c.name}: blocks downloaded`);
      assert.equal(r.stats.lookups, c.lookups, `${c.name}: lookups`);
      await assertSameChain(local, peer);
    });
  }
});

test('syncRoot: a fork deeper than maxStale (sync_with_staleness): no common ancestor, nothing downloaded, not fatal', async () => {
  const { peer, local } = await forkedPair(0, 10, 8);
  await withNets([peer, local], async () => {
    assert.ok(peer.root.tip.td > local.root.tip.td);
    const r = await syncRoot(new NetSource(peer), netTarget(local), tipHeader(peer), { maxStale: 5 });
    assert.equal(faultCode(r), 'P2P_NO_COMMON_ANCESTOR');
    assert.equal(r.outcome.kind === 'fault' && r.outcome.fault.fatal, false);
    assert.equal(r.stats.lookups, 1);
    assert.equal(r.stats.bodies, 0);
  });
});

test('syncRoot: small batches and windows still reach the tip, with every request within its cap', async () => {
  await withPair(12, async (peer, local) => {
    const src = new NetSource(peer);
    const r = await syncRoot(src, netTarget(local), tipHeader(peer), { searchSamples: 3, headerBatch: 3, headerWindow: 5, bodyBatch: 2 });
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    assert.equal(r.stats.bodies, 12);
    for (const line of src.log) {
      const m = /^headers \d+ limit (\d+)/.exec(line);
      if (m) assert.ok(Number(m[1]) <= 3, line);
      const b = /^rootBlocks (\d+)/.exec(line);
      if (b) assert.ok(Number(b[1]) <= 2, line);
    }
  });
});

test('syncRoot: header download pipelined with the bodies: the first checked headers\' bodies are asked for before the later headers, at most headerWindow held', async () => {
  await withPair(12, async (peer, local) => {
    const src = new NetSource(peer);
    const r = await syncRoot(src, netTarget(local), tipHeader(peer), { firstHeaderBatch: 2, headerBatch: 4, headerWindow: 6, bodyBatch: 2 });
    assert.equal(r.outcome.kind, 'synced');
    await assertSameChain(local, peer);
    const headerLines = src.log.filter((l) => l.startsWith('headers'));
    assert.match(headerLines[0]!, /^headers 1 limit 2 /, 'a small first request');
    for (const l of headerLines.slice(1)) assert.ok(Number(/limit (\d+)/.exec(l)![1]) <= 4, l);
    const firstBodies = src.log.findIndex((l) => l.startsWith('rootBlocks'));
    const lastHeaders = src.log.map((l, i) => (l.startsWith('headers') ? i : -1)).reduce((a, b) => Math.max(a, b));
    assert.ok(firstBodies >= 0 && firstBodies < lastHeaders, `bodies asked for while headers still came: ${src.log.join(' | ')}`);
  });
});

test('syncRoot: a bad seal in a later header section: only the checked sections\' bodies are asked for and added', async () => {
  await withPair(9, async (peer, local) => {
    const src = new NetSource(peer, { headers: (_q, honest) => ({ ...honest, headers: honest.headers.map((h) => (h.height === 8 ? badSeal(h, 'doublesha256') : h)) }) });
    const r = await syncRoot(src, netTarget(local), tipHeader(peer), { firstHeaderBatch: 3, headerBatch: 3, bodyBatch: 3 });
    assert.equal(faultCode(r), 'P2P_BAD_SEAL');
    assert.ok(r.stats.bodies <= 6, 'no body past the last checked header');
    assert.ok(local.root.tip.height <= 6);
  });
});

test('syncRoot: known or lighter tips are skipped without a request', async () => {
  const peer = await openNet();
  const local = await openNet();
  await withNets([peer, local], async () => {
    await mineRounds(peer, 2);
    await copyChain(peer, local, 2);
    const src = new NetSource(peer);
    assert.deepEqual((await syncRoot(src, netTarget(local), tipHeader(peer))).outcome, { kind: 'skipped', reason: 'known' });
    await mineRounds(local, 1);
    assert.deepEqual((await syncRoot(src, netTarget(local), peer.root.index.canonicalAt(1)!.block.header)).outcome, { kind: 'skipped', reason: 'known' });
    const lighter = { ...tipHeader(peer), totalDifficulty: 1n };
    assert.deepEqual((await syncRoot(src, netTarget(local), lighter)).outcome, { kind: 'skipped', reason: 'notHeavier' });
    assert.deepEqual(src.log, []);
  });
});

test('syncRoot: a peer whose tip moves on during sync is followed to its new tip', async () => {
  const peer = await openNet();
  const local = await openNet();
  await withNets([peer, local], async () => {
    await mineRounds(peer, 4);
    const announced = tipHeader(peer);
    await mineRounds(peer, 3);
    local.now = peer.now;
    const r = await syncRoot(new NetSource(peer), netTarget(local), announced, { headerBatch: 2, searchSamples: 2 });
    assert.equal(r.outcome.kind, 'synced');
    assert.ok(!equalBytes(hashOf(announced), tipHash(local)));
    await assertSameChain(local, peer);
  });
});

test('syncRoot: a peer that re-orgs between two answers so that its chain no longer continues ours ends in retarget, not a fault', async () => {
  // peer: 2 shared + 4 of its own (tip Y); old: the same 2 + 3 others (tip X, lighter); local: the 2 shared + X's block 3.
  const { peer, local: old } = await forkedPair(2, 4, 3);
  const local = await openNet();
  await withNets([peer, old, local], async () => {
    assert.ok(peer.root.tip.td > old.root.tip.td);
    await copyChain(old, local, 3);
    local.now = Math.max(peer.now, old.now);
    const before = new NetSource(old);
    const after = new NetSource(peer);
    let calls = 0;
    const switching: SyncSource = {
      id: 'switching', reportsTransportFaults: false,
      getRootHeaders: (q) => (calls++ === 0 ? before : after).getRootHeaders(q),
      getRootBlocks: (h) => after.getRootBlocks(h),
      getShardHeaders: (s, q) => after.getShardHeaders(s, q),
      getMinorBlocks: (s, h) => after.getMinorBlocks(s, h),
    };
    const r = await syncRoot(switching, netTarget(local), tipHeader(old));
    assert.equal(r.outcome.kind, 'retarget');
    assert.ok(r.outcome.kind === 'retarget' && equalBytes(hashOf(r.outcome.tip), tipHash(peer)), 'the new target is the peer\'s new tip');
    assert.equal(r.stats.bodyRequests, 0);
    assert.equal(local.root.tip.height, 3);
    const r2 = await syncRoot(after, netTarget(local), r.outcome.kind === 'retarget' ? r.outcome.tip : tipHeader(peer));
    assert.equal(r2.outcome.kind, 'synced');
    await assertSameChain(local, peer);
  });
});

