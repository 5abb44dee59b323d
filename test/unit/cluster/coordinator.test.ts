/**
 * The coordinator's interface by full shard id (shards in this thread, in memory): routing,
 * SHARD_UNKNOWN for ids it does not run (a shard index is not an id), root queries, events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allShardIds, defaultConfig } from '../../../src/core/config.js';
import { ChainError } from '../../../src/core/errors.js';
import { toHex } from '../../../src/core/bytes.js';
import { Coordinator } from '../../../src/cluster/coordinator.js';
import { P2pSlot } from '../../../src/cluster/p2pView.js';

const unknown = (e: unknown): boolean => e instanceof ChainError && e.code === 'SHARD_UNKNOWN' && e.cls === 'invalid';

test('coordinator: shards and blocks addressed by full shard id; root queries; P2P seen through the view given', async () => {
  const cfg = defaultConfig({ chains: 2, shards: 2, algo: 'simulate' });
  const slot = new P2pSlot();
  const c = await Coordinator.start({ config: cfg, datadir: null, inProcess: true, log: () => undefined, p2p: slot });
  try {
    const ids = allShardIds(cfg);
    assert.deepEqual(c.shardIds, ids);
    assert.ok(ids.every((id) => id > 1), 'full shard ids (chain << 16 | size | shard), never indices');
    for (const id of ids) assert.equal(c.shard(id).shardId, id);
    assert.deepEqual(await c.eachShard(async (s, id) => s.shardId === id && id), ids);
    for (const bad of [0, 1, 0xffff]) {
      assert.equal(c.hasShard(bad), false);
      assert.throws(() => c.shard(bad), unknown);
      await assert.rejects(c.addShardBlock(bad, new Uint8Array(10)), unknown);
      await assert.rejects(c.addShardBlocksForSync(bad, []), unknown);
    }
    const tip = c.rootTip();
    assert.equal(tip.height, 0);
    assert.equal(toHex(c.rootBlockByHeight(0)!.hash), toHex(tip.hash));
    assert.equal(c.rootBlockByHash(tip.hash), tip);
    assert.equal(c.rootBlockByHeight(1), undefined);
    assert.equal(c.rootBlockByHash(new Uint8Array(32)), undefined);
    assert.equal(c.p2p.syncing(), false);
    const off = slot.attach({ syncing: () => true, peers: () => ['127.0.0.1:9'], peerInfo: () => [] });
    assert.equal(c.p2p.syncing(), true);
    assert.deepEqual(c.p2p.peers(), ['127.0.0.1:9']);
    off();
  } finally {
    await c.stop();
  }
});

test('coordinator: mined blocks are announced through events until unsubscribed', { timeout: 60_000 }, async () => {
  const base = defaultConfig({ shards: 2, algo: 'simulate' });
  const cfg = { ...base, root: { ...base.root, targetBlockTime: 1 }, chains: base.chains.map((ch) => ({ ...ch, consensus: { ...ch.consensus, targetBlockTime: 1 } })) };
  const c = await Coordinator.start({ config: cfg, datadir: null, inProcess: true, log: () => undefined });
  try {
    const blocks: number[] = [];
    const roots: number[] = [];
    const offBlock = c.events.on('block', (id) => blocks.push(id));
    const offRoot = c.events.on('rootTip', (rb) => roots.push(rb.header.height));
    await c.setMining(true);
    assert.equal(c.isMining(), true);
    // Until a root block and a shard block: `simulate` may seal an empty root block before any shard block.
    for (let i = 0; i < 600 && (roots.length < 1 || blocks.length < 1); i++) await new Promise((r) => setTimeout(r, 50));
    offBlock();
    offRoot();
    await c.setMining(false);
    assert.equal(c.isMining(), false);
    assert.ok(blocks.length > 0 && blocks.every((id) => c.hasShard(id)), `block events name full shard ids: ${blocks}`);
    assert.deepEqual(roots, Array.from({ length: roots.length }, (_, i) => i + 1), 'root tips in height order');
    const [seenBlocks, seenRoots, height] = [blocks.length, roots.length, c.rootTip().height];
    await c.setMining(true);
    for (let i = 0; i < 600 && c.rootTip().height === height; i++) await new Promise((r) => setTimeout(r, 50));
    await c.setMining(false);
    assert.ok(c.rootTip().height > height);
    assert.equal(blocks.length, seenBlocks, 'unsubscribed: no more block events');
    assert.equal(roots.length, seenRoots, 'unsubscribed: no more root events');
  } finally {
    await c.stop();
  }
});
