/**
 * Shard P2P's fast path for announced shard blocks (DESIGN §10, p2p/relay/blockRelay.ts wired by
 * cluster/p2pShards.ts), against a real Coordinator with a real P2pNode on 127.0.0.1: scriptable
 * fake peers on the real Network send blocks a producer chain made (doublesha256 at a small
 * difficulty, so a wrong nonce really fails the seal) and record what the node relays to them.
 * Each test also sends a block that must go through, so "nothing arrived" is never an artefact
 * of a broken observer. The mining tests are in p2pShardsMining.test.ts and p2pShardsTxs.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressToBytes } from '../../src/core/address.js';
import { defaultKeyOf } from '../../src/core/branch.js';
import { decodeMinorHeader, encodeMinorBlock, minorHeaderHash } from '../../src/core/minorBlock.js';
import { rootHeaderHash } from '../../src/core/rootBlock.js';
import { devAccounts } from '../../src/consensus/genesis.js';
import type { Peer } from '../../src/p2p/peer.js';
import { STALE_HEIGHT_BOUND } from '../../src/p2p/relay/blockRelay.js';
import { editMinor } from '../utils/blockEdit.js';
import { hex, Parts, sealedConfig, stores, transfer, until, type FakePeer, type TestNode } from './p2pShardsHarness.js';

const TIMEOUT = { timeout: 120_000 };

/** Waits until the node has handshaken with every fake peer. */
async function joined(n: TestNode, ...fakes: FakePeer[]): Promise<Peer[]> {
  const links: Peer[] = [];
  for (const f of fakes) links.push(await f.connect(n));
  await until(`the node to see ${fakes.length} peers`, () => n.p2p.peers().length === fakes.length);
  return links;
}

const shardBlockRequests = (f: FakePeer): string[] =>
  f.requests.flatMap((m) => (m.type === 'GET_SHARD_BLOCKS' ? m.hashes.map((h) => hex(h)) : []));

test('shard p2p: a block whose parent is unknown is held, the parent fetched from its sender, and both added and relayed once', TIMEOUT, async () => {
  const cfg = sealedConfig();
  const parts = new Parts();
  try {
    const n = await parts.node(cfg);
    const p = await parts.producer(cfg);
    const id = n.c.shardIds[0]!;
    const b1 = await p.shardBlock(id);
    const b2 = await p.shardBlock(id);
    const sender = await parts.fake(cfg, p.c);
    const watcher = await parts.fake(cfg);
    await joined(n, sender, watcher);

    sender.sendBlock(id, b2); // its parent b1 is unknown to the node
    await until('the node to add b1 and b2', () => stores(n.c, b1) && stores(n.c, b2));
    assert.deepEqual(shardBlockRequests(sender), [hex(minorHeaderHash(b1.header))], 'the parent was asked of the sender, once');
    assert.ok(n.p2p.shards.blocks.dropped.held >= 1, 'b2 was held');
    assert.equal(hex(minorHeaderHash(n.c.shardTipHeader(id))), hex(minorHeaderHash(b2.header)), 'b2 is the tip');
    await until('the watcher to get b1 and b2', () => watcher.blockCount(b1) >= 1 && watcher.blockCount(b2) >= 1);
    assert.equal(watcher.blockCount(b1), 1);
    assert.equal(watcher.blockCount(b2), 1);
    assert.equal(sender.blockCount(b1) + sender.blockCount(b2), 0, 'nothing goes back to its sender');
  } finally {
    await parts.stop();
  }
});

test('shard p2p: a block whose root block is unknown is held until the root block arrives, then added and relayed', TIMEOUT, async () => {
  const cfg = sealedConfig();
  const parts = new Parts();
  try {
    const n = await parts.node(cfg);
    const p = await parts.producer(cfg);
    const id = n.c.shardIds[0]!;
    const b1 = await p.shardBlock(id);
    const r1 = await p.rootBlock();
    const b2 = await p.shardBlock(id);
    assert.equal(hex(b2.header.hashPrevRootBlock), hex(rootHeaderHash(r1.header)), 'b2 is built on r1');
    const sender = await parts.fake(cfg, p.c);
    const watcher = await parts.fake(cfg);
    await joined(n, sender, watcher);

    sender.sendBlock(id, b1);
    await until('the node to add b1', () => stores(n.c, b1));
    const held = n.p2p.shards.blocks.dropped.held;
    sender.sendBlock(id, b2);
    await until('b2 to be held', () => n.p2p.shards.blocks.dropped.held > held);
    assert.equal(stores(n.c, b2), false, 'b2 waits for r1');
    assert.equal(watcher.blockCount(b2), 0, 'b2 is not relayed before its root block is known');
    assert.deepEqual(shardBlockRequests(sender), [], 'its parent is known: nothing fetched');

    sender.send({ type: 'NEW_ROOT_TIP', rootTip: r1.header }); // the node syncs r1 from the sender
    await until('the node to add r1 and then b2', () => hex(n.c.rootTip().hash) === hex(rootHeaderHash(r1.header)) && stores(n.c, b2));
    assert.equal(hex(minorHeaderHash(n.c.shardTipHeader(id))), hex(minorHeaderHash(b2.header)));
    await until('the watcher to get b2', () => watcher.blockCount(b2) >= 1);
    assert.equal(watcher.blockCount(b2), 1);
  } finally {
    await parts.stop();
  }
});

test('shard p2p: a bad seal bans its sender and goes nowhere; a sealed block whose body fails costs its sender no ban', TIMEOUT, async () => {
  const cfg = sealedConfig();
  const parts = new Parts();
  try {
    const n = await parts.node(cfg);
    const p = await parts.producer(cfg);
    const id = n.c.shardIds[0]!;
    const bad = await p.shardBlock(id, { add: false, goodSeal: false });
    const badBody = editMinor(await p.shardBlock(id, { add: false }), cfg, { txs: [transfer(cfg, 2, id, 3, id, 0)] });
    const good = await p.shardBlock(id);
    const liar = await parts.fake(cfg, p.c);
    const honest = await parts.fake(cfg, p.c);
    const watcher = await parts.fake(cfg);
    const [liarLink] = await joined(n, liar, honest, watcher);

    liar.sendBlock(id, bad);
    await until('the node to ban the liar', () => n.p2p.isBanned(liar.nodeId) && liar.net.peers().length === 0);
    assert.equal(liarLink!.closeReason?.reason, 'BAD_BLOCK', `the node said ${JSON.stringify(liarLink.closeReason)}`);
    // Back again, it is refused at the node's side of the handshake (its own side may pass first).
    const again = await liar.connect(n).catch(() => undefined);
    await until('the node to refuse the liar again', () => again === undefined || again.isClosed);
    assert.ok(again === undefined || again.closeReason?.reason === 'BANNED', `the node said ${JSON.stringify(again?.closeReason)}`);

    // Sealed right, but its transfer does not match the block's state root: the sender may have relayed it in good faith.
    honest.sendBlock(id, badBody);
    await until('the bad body to be refused', () => n.p2p.shards.blocks.dropped.refused >= 2);
    assert.equal(stores(n.c, badBody), false);
    assert.equal(n.p2p.isBanned(honest.nodeId), false, 'a bad body is not a ban');

    honest.sendBlock(id, good);
    await until('the node to add the good block and relay it', () => stores(n.c, good) && watcher.blockCount(good) === 1);
    assert.equal(n.p2p.peers().length, 2, 'the honest sender is still connected');
    assert.equal(stores(n.c, bad), false);
    assert.equal(watcher.blockCount(bad), 0, 'a bad seal is never relayed');
  } finally {
    await parts.stop();
  }
});

test('shard p2p: a block more than the stale bound below our tip is dropped: not added, not relayed, its parent not fetched', TIMEOUT, async () => {
  const cfg = sealedConfig();
  const parts = new Parts();
  try {
    const n = await parts.node(cfg);
    const p = await parts.producer(cfg);
    const id = n.c.shardIds[0]!;
    // A valid fork block at height 1 (another coinbase), which a node at height 1 or 2 would take.
    const other = addressToBytes({ recipient: devAccounts(cfg)[1]!.recipient, fullShardKey: defaultKeyOf(id) });
    const fork = await p.shardBlock(id, { add: false, coinbase: other });
    for (let i = 0; i < STALE_HEIGHT_BOUND + 2; i++) await n.c.addShardBlock(id, encodeMinorBlock(await p.shardBlock(id)));
    assert.equal(n.c.shardTipHeader(id).height, STALE_HEIGHT_BOUND + 2);
    const next = await p.shardBlock(id);
    const sender = await parts.fake(cfg, p.c);
    const watcher = await parts.fake(cfg);
    await joined(n, sender, watcher);

    sender.sendBlock(id, fork);
    await until('the fork block to be dropped as stale', () => n.p2p.shards.blocks.dropped.stale === 1);
    sender.sendBlock(id, next);
    await until('the node to add the next block and relay it', () => stores(n.c, next) && watcher.blockCount(next) === 1);
    assert.equal(stores(n.c, fork), false, 'the stale block is not added');
    assert.equal(watcher.blockCount(fork), 0, 'the stale block is not relayed');
    assert.deepEqual(shardBlockRequests(sender), []);
    assert.equal(n.p2p.isBanned(sender.nodeId), false, 'a stale block is no fault');
  } finally {
    await parts.stop();
  }
});

test('shard p2p: a block reaching the node by two paths is added once and relayed once to each peer but its first sender', TIMEOUT, async () => {
  const cfg = sealedConfig();
  const parts = new Parts();
  try {
    const n = await parts.node(cfg);
    const p = await parts.producer(cfg);
    const id = n.c.shardIds[0]!;
    const b1 = await p.shardBlock(id);
    const b2 = await p.shardBlock(id);
    const b3 = await p.shardBlock(id);
    const first = await parts.fake(cfg, p.c);
    const second = await parts.fake(cfg, p.c);
    const watcher = await parts.fake(cfg);
    await joined(n, first, second, watcher);
    const events = new Map<string, number>();
    const off = n.c.events.on('block', (_s, ev) => {
      const k = hex(minorHeaderHash(decodeMinorHeader(ev.header)));
      events.set(k, (events.get(k) ?? 0) + 1);
    });

    first.sendBlock(id, b1);
    second.sendBlock(id, b1);
    // b2 by two paths: announced by one peer, and as the parent the node fetches for b3 from the other.
    first.sendBlock(id, b2);
    second.sendBlock(id, b3);
    await until('the node to add b1, b2 and b3', () => stores(n.c, b1) && stores(n.c, b2) && stores(n.c, b3));
    await until('the watcher to get them', () => watcher.blockCount(b1) >= 1 && watcher.blockCount(b2) >= 1 && watcher.blockCount(b3) >= 1);
    // One more, so that any second copy in flight has arrived before the counts are read.
    const b4 = await p.shardBlock(id);
    first.sendBlock(id, b4);
    await until('the watcher to get b4', () => watcher.blockCount(b4) === 1);
    off();
    for (const [name, b] of [['b1', b1], ['b2', b2], ['b3', b3]] as const) {
      assert.equal(watcher.blockCount(b), 1, `the watcher got ${name} once`);
      assert.equal(first.blockCount(b) + second.blockCount(b), 1, `${name} went to the one sender it did not come from first`);
      assert.equal(events.get(hex(minorHeaderHash(b.header))), 1, `${name} added once`);
    }
    assert.ok(n.p2p.shards.blocks.dropped.seen >= 1, 'the second copy of b1 was dropped as seen');
  } finally {
    await parts.stop();
  }
});
