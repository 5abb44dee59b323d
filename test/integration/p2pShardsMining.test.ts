/**
 * Shard P2P between mining nodes (DESIGN §10): real Coordinators (shards in-thread) with real
 * P2pNodes on 127.0.0.1, `simulate` sealing with 1 s blocks on 2 shards. Two nodes mining side by
 * side stay on one chain per shard (blocks announced at once and taken through the fast path), and
 * a node that joins late reaches its peer's root tip and its shard tips beyond the last root block.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Coordinator } from '../../src/cluster/coordinator.js';
import { hex, miningConfig, Parts, until, type TestNode } from './p2pShardsHarness.js';

const TIMEOUT = { timeout: 180_000 };
/** Root height both nodes mine to together: enough for many shard blocks and some races. */
const TOGETHER_ROOT_HEIGHT = 5;

interface Tips {
  readonly root: string;
  readonly shards: readonly string[];
  readonly heights: readonly number[];
}

async function tips(c: Coordinator): Promise<Tips> {
  const st = await c.status();
  return { root: hex(c.rootTip().hash), shards: st.shards.map((s) => hex(s.tip.hash)), heights: st.shards.map((s) => s.tip.height) };
}

async function sameTips(a: Coordinator, b: Coordinator): Promise<boolean> {
  const [x, y] = [await tips(a), await tips(b)];
  return x.root === y.root && x.shards.every((h, i) => h === y.shards[i]);
}

const connected = async (...nodes: TestNode[]): Promise<void> =>
  until('the nodes to be connected', () => nodes.every((n) => n.p2p.peers().length === nodes.length - 1));

test('shard p2p: two mining nodes stay on one chain per shard and converge on every shard tip and the root tip', TIMEOUT, async () => {
  const cfg = miningConfig();
  const parts = new Parts();
  try {
    const a = await parts.node(cfg);
    const b = await parts.node(cfg, { peers: [a.p2p.url] });
    await connected(a, b);
    await a.c.setMining(true);
    await b.c.setMining(true);
    await until(`both nodes at root height ${TOGETHER_ROOT_HEIGHT}`, () => a.c.rootTip().height >= TOGETHER_ROOT_HEIGHT && b.c.rootTip().height >= TOGETHER_ROOT_HEIGHT);

    // B stops first and A mines on alone for a root block and a block per shard: then one chain is
    // heavier on every count (equal-weight forks would otherwise both stay, as QuarkChain's would).
    await b.c.setMining(false);
    const at = await tips(a.c);
    const rootAt = a.c.rootTip().height;
    await until('a to mine on alone', async () => {
      const now = await tips(a.c);
      return a.c.rootTip().height > rootAt && now.heights.every((h, i) => h > at.heights[i]!);
    });
    await a.c.setMining(false);
    await until('both nodes on the same root tip and shard tips', () => sameTips(a.c, b.c));

    // Few stale blocks: most blocks either node sealed are on the canonical chain.
    const [sa, sb] = [await a.c.status(), await b.c.status()];
    // Both sealed (on some shard: with a few 1 s blocks per shard, one node may win every race on one shard).
    const total = (s: typeof sa): number => s.shards.reduce((x, sh) => x + sh.blocksMined, 0);
    assert.ok(total(sa) > 0 && total(sb) > 0, `both nodes mined: ${total(sa)} and ${total(sb)}`);
    for (const [i, id] of a.c.shardIds.entries()) {
      const mined = sa.shards[i]!.blocksMined + sb.shards[i]!.blocksMined;
      const height = sa.shards[i]!.tip.height;
      assert.ok(mined >= height, `shard 0x${id.toString(16)}: ${mined} mined for height ${height}`);
      assert.ok(mined - height <= Math.max(3, height / 3), `shard 0x${id.toString(16)}: ${mined - height} stale of ${mined} mined (height ${height})`);
    }
    // The peer's blocks came by the fast path (announced whole, before the tip moved), not by a
    // shard sync per block that also held sealing and dropped the announced copy meanwhile.
    const shardSyncs = [...a.log, ...b.log].filter((l) => /shard 0x[0-9a-f]+ synced/.test(l));
    const dropped = [a.p2p.shards.blocks.dropped.syncing, b.p2p.shards.blocks.dropped.syncing];
    assert.ok(shardSyncs.length <= 2, `shard syncs between two connected miners: ${shardSyncs.join('; ')}`);
    assert.ok(dropped[0]! + dropped[1]! <= 2, `announced blocks dropped while syncing: ${dropped.join(', ')}`);
  } finally {
    await parts.stop();
  }
});

test('shard p2p: a node that joins late reaches its peer\'s root tip and its shard tips beyond the last root block', TIMEOUT, async () => {
  const cfg = miningConfig();
  const parts = new Parts();
  try {
    const a = await parts.node(cfg);
    await a.c.setMining(true);
    await until('a at root height 2', () => a.c.rootTip().height >= 2);
    await a.c.setMining(false);
    // One more block on each shard, past what a's root tip confirms (simulate: any nonce seals).
    for (const id of a.c.shardIds) await a.c.addShardBlock(id, await a.c.shard(id).createBlockToMine(null), { sealedHere: true });
    const want = await tips(a.c);
    for (const [i, id] of a.c.shardIds.entries()) {
      const confirmed = a.c.root.committedHeader(a.c.rootTip().confirmed.get(id)!);
      assert.ok(want.heights[i]! > (confirmed?.height ?? 0), `shard 0x${id.toString(16)}: a's tip is beyond its last root block`);
    }

    const b = await parts.node(cfg, { peers: [a.p2p.url] });
    await until('b to reach a\'s root tip and shard tips', () => sameTips(a.c, b.c));
    assert.deepEqual(await tips(b.c), want);
    assert.equal(b.c.isMining(), false);
  } finally {
    await parts.stop();
  }
});
