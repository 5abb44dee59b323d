/**
 * syncShard (issue "shard P2P" item 2): a shard's chain brought to a peer's shard tip beyond what
 * root blocks confirm, over LocalNet chains: the common part is found by walking the peer's
 * headers back, the missing blocks come in batches and are added in order; lies in the headers
 * are the peer's faults; what cannot be decided is skipped without blame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../../../../src/core/bytes.js';
import { minorHeaderHash, type MinorHeader } from '../../../../src/core/minorBlock.js';
import { syncShard, type ShardSyncTarget } from '../../../../src/p2p/sync/syncShardTask.js';
import { ShardSynchronizer } from '../../../../src/p2p/sync/shardSynchronizer.js';
import type { LocalNet } from '../../../utils/localNet.js';
import { faultCode, withNets } from './syncHarness.js';
import { copyChain, mineRounds, NetSource, openNet } from './syncFixtures.js';

function shardTarget(net: LocalNet, added: number[][] = []): ShardSyncTarget {
  return {
    hasMinorBlock: (h) => net.chain(net.ids.find((id) => net.chain(id).block(h)) ?? net.ids[0]!).block(h) !== undefined,
    hasRootBlock: (h) => net.root.index.has(h),
    shardTipHeight: (shard) => net.chain(shard).tip.header.height,
    addMinorBlocks: async (shard, blocks) => {
      added.push(blocks.map((b) => b.header.height));
      for (const b of blocks) await net.addShardBlock(shard, b);
    },
  };
}

/** peer: 2 rounds (root-confirmed), then `extra` blocks of shard S on top; local: the 2 rounds only. */
async function pair(extra: number): Promise<{ peer: LocalNet; local: LocalNet; S: number; tip: () => MinorHeader }> {
  const peer = await openNet();
  const local = await openNet();
  await mineRounds(peer, 2);
  await copyChain(peer, local, 2);
  const S = peer.ids[0]!;
  for (let i = 0; i < extra; i++) await peer.mineShard(S);
  local.now = peer.now;
  return { peer, local, S, tip: () => peer.chain(S).tip.header };
}

test('shard sync: blocks past the last root block are fetched in batches and added in order', async () => {
  const { peer, local, S, tip } = await pair(7);
  await withNets([peer, local], async () => {
    const added: number[][] = [];
    const src = new NetSource(peer);
    const r = await syncShard(src, shardTarget(local, added), S, tip(), { headerBatch: 3, minorBatch: 4 });
    assert.equal(r.outcome.kind, 'synced');
    assert.equal(toHex(local.chain(S).tip.hash), toHex(peer.chain(S).tip.hash));
    assert.deepEqual(added, [[3, 4, 5, 6], [7, 8, 9]]);
    assert.equal(r.stats.headerRequests, 3, '7 headers back in batches of 3');
    assert.equal(r.stats.minorRequests, 2);
  });
});

test('shard sync: a known tip, a tip not above ours, or one on a root block we lack is skipped', async () => {
  const { peer, local, S, tip } = await pair(2);
  await withNets([peer, local], async () => {
    const src = new NetSource(peer);
    const t = tip();
    assert.equal((await syncShard(src, shardTarget(local), S, { ...t, height: 1 })).outcome.kind, 'skipped');
    assert.equal((await syncShard(src, shardTarget(local), S, { ...t, hashPrevRootBlock: new Uint8Array(32).fill(3) })).outcome.kind, 'skipped');
    assert.equal((await syncShard(src, shardTarget(local), S, t)).outcome.kind, 'synced');
    assert.equal((await syncShard(src, shardTarget(local), S, t)).outcome.kind, 'skipped', 'known now');
    assert.deepEqual(src.log.filter((l) => l.startsWith('shardHeaders')).length, 1, 'nothing asked for the skipped tips');
  });
});

test('shard sync: headers that do not link, skip a height, or stop short are faults, and nothing is added', async () => {
  const cases: Array<[string, (h: readonly MinorHeader[]) => MinorHeader[]]> = [
    ['P2P_HEADERS_NOT_LINKED', (h) => h.map((x, i) => (i === 1 ? { ...x, coinbaseAmount: x.coinbaseAmount + 1n } : x))],
    ['P2P_HEADERS_NOT_CONTIGUOUS', (h) => h.filter((_x, i) => i !== 1)],
    ['P2P_SHORT_RESPONSE', () => []],
  ];
  for (const [code, lie] of cases) {
    const { peer, local, S, tip } = await pair(4);
    await withNets([peer, local], async () => {
      const added: number[][] = [];
      const src = new NetSource(peer, { shardHeaders: (_s, _q, honest) => ({ ...honest, headers: lie(honest.headers) }) });
      const r = await syncShard(src, shardTarget(local, added), S, tip());
      assert.equal(faultCode(r), code);
      assert.deepEqual(added, []);
      assert.equal(local.chain(S).tip.header.height, 2);
    });
  }
});

test('shard sync: a served block the shard refuses as invalid is P2P_BAD_BLOCK; the blocks before it stay added', async () => {
  const { peer, local, S, tip } = await pair(4);
  await withNets([peer, local], async () => {
    const src = new NetSource(peer);
    const target = shardTarget(local);
    const refusing: ShardSyncTarget = {
      ...target,
      addMinorBlocks: async (shard, blocks) => {
        await target.addMinorBlocks(shard, blocks.slice(0, 2));
        if (blocks.length > 2) await target.addMinorBlocks(shard, [{ ...blocks[2]!, meta: { ...blocks[2]!.meta, gasUsed: blocks[2]!.meta.gasUsed + 1 } }]);
      },
    };
    // The refusing hook passes the third block on with its meta changed: the header's hashMeta no longer matches.
    const r = await syncShard(src, refusing, S, tip());
    assert.equal(faultCode(r), 'P2P_BAD_BLOCK');
    assert.equal(local.chain(S).tip.header.height, 4, 'the two good blocks stay');
    assert.ok(local.chain(S).block(minorHeaderHash(peer.chain(S).canonicalAt(4)!.header)));
  });
});

test('shard synchronizer: the highest pending tip of a shard first, the shard "syncing" meanwhile, faults reported', async () => {
  const { peer, local, S, tip } = await pair(3);
  await withNets([peer, local], async () => {
    const changes: string[] = [];
    const faults: string[] = [];
    const sync = new ShardSynchronizer(shardTarget(local), {
      onFault: (id, f) => faults.push(`${id} ${f.fault}`),
      onSyncing: (shard, on) => changes.push(`0x${shard.toString(16)} ${on}`),
    });
    const liar = new NetSource(peer, { shardHeaders: (_s, _q, honest) => ({ ...honest, headers: [] }) });
    sync.onPeerTip('liar', liar, tip());
    assert.equal(sync.syncing(S), true);
    sync.onPeerTip('honest', new NetSource(peer), tip());
    await sync.whenIdle();
    assert.equal(sync.syncing(S), false);
    assert.equal(toHex(local.chain(S).tip.hash), toHex(peer.chain(S).tip.hash));
    assert.deepEqual(faults, ['liar P2P_SHORT_RESPONSE']);
    assert.deepEqual(changes, [`0x${S.toString(16)} true`, `0x${S.toString(16)} false`]);
    sync.onPeerTip('honest', new NetSource(peer), tip());
    assert.equal(sync.syncing(S), false, 'a tip we hold now is not worth a task');
  });
});
