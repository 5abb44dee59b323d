/** Long in-memory runs: with `retainBlocks`, old bodies and consumed lists go; state and conservation stay. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../src/core/branch.js';
import { rootHeaderHash } from '../../src/core/rootBlock.js';
import { LocalNet, testConfig } from '../utils/localNet.js';

test('prune: bodies older than the retention window are dropped, recent ones kept, value conserved', async () => {
  const net = await LocalNet.open(testConfig(), { retainBlocks: 2 });
  try {
    const c4 = net.chain(0x4);
    const first = await net.mineShard(0x4);
    for (const id of net.ids.slice(1)) await net.mineShard(id);
    await net.mineRoot();
    let nonce = 0;
    for (let round = 0; round < 6; round++) {
      await c4.addTx(net.sign(1, 0x4, { recipient: net.devs[2]!.recipient, fullShardKey: defaultKeyOf(0x5) }, 10n, nonce++, { gasLimit: 30_000 }));
      for (const id of net.ids) await net.mineShard(id);
      await net.mineRoot();
    }
    assert.equal(await c4.getBlock(first.hash), undefined, 'an old committed body is pruned');
    assert.ok(await c4.getBlock(c4.tip.hash), 'the tip body is kept');
    assert.ok((await net.chain(0x5).account(net.devs[2]!.recipient)).balance > net.cfg.devBalance, 'deposits still applied');
    const c = await net.conservationFromStats();
    assert.ok(c.ok, 'conservation from cumulative statistics still holds');
  } finally {
    await net.close();
  }
});

test('prune: when one root block confirms several blocks, every one of them is pruned, and state is rebuilt from the anchor', async () => {
  const net = await LocalNet.open(testConfig(), { retainBlocks: 2 });
  try {
    const c4 = net.chain(0x4);
    for (const id of net.ids) await net.mineShard(id);
    await net.mineRoot();
    let nonce = 0;
    for (let round = 0; round < 5; round++) {
      // Three blocks of shard 4 per root block: the confirmed tip jumps by three.
      for (let k = 0; k < 3; k++) {
        await c4.addTx(net.sign(1, 0x4, { recipient: net.devs[3]!.recipient, fullShardKey: defaultKeyOf(0x4) }, 7n, nonce++));
        await net.mineShard(0x4);
      }
      for (const id of net.ids.slice(1)) await net.mineShard(id);
      await net.mineRoot();
    }
    const confirmedHeight = c4.confirmedTip.header.height;
    assert.ok(confirmedHeight >= 12, `confirmed height ${confirmedHeight}`);
    // Shard 4's last block was added when the confirmed tip was three lower (the previous root
    // block), so that prune reached confirmed − 3 − retain: that block is the anchor, with its
    // header kept and its body gone; the blocks below it left the tree.
    const anchorHeight = confirmedHeight - 3 - 2;
    for (let h = 0; h < anchorHeight; h++) assert.equal(c4.canonicalAt(h), undefined, `block at height ${h} is forgotten`);
    assert.equal(await c4.getBlock(c4.canonicalAt(anchorHeight)!.hash), undefined, 'the anchor\'s body is pruned');
    // Windowed statistics still reach back to genesis: the forgotten blocks are in the history.
    const back = [...c4.canonicalBackwards()];
    assert.deepEqual(back.map((b) => b.height), Array.from({ length: c4.tip.header.height + 1 }, (_, i) => c4.tip.header.height - i));
    assert.ok(c4.history.size >= anchorHeight);
    assert.equal(back[0]!.txsCum, nonce, 'every transfer counted at the tip');
    assert.ok(back.every((b, i) => i === 0 || (b.txsCum <= back[i - 1]!.txsCum && b.createTime < back[i - 1]!.createTime)));
    assert.equal(back[back.length - 1]!.txsCum, 0);
    assert.ok(await c4.getBlock(c4.canonicalAt(confirmedHeight)!.hash), 'bodies inside the window are kept');
    assert.equal((await c4.account(net.devs[1]!.recipient)).nonce, nonce, 'the tip state has every transfer');
    assert.ok((await net.conservationFromStats()).ok);
  } finally {
    await net.close();
  }
});

test('prune: the root chain and the shards forget deeply confirmed minor headers; a shard idle for longer is still confirmed afterwards', async () => {
  const net = await LocalNet.open(testConfig(), { retainBlocks: 2 });
  try {
    const idle = net.ids[1]!;
    const first = await net.mineShard(0x4);
    const idleLast = await net.mineShard(idle);
    for (const id of net.ids.slice(2)) await net.mineShard(id);
    const r1 = await net.mineRoot();
    for (let round = 0; round < 6; round++) {
      for (const id of net.ids) if (id !== idle) await net.mineShard(id);
      await net.mineRoot();
    }
    const idx = net.root.index;
    const tipHeight = idx.tip.height;
    assert.equal(tipHeight, 7);
    // Root blocks more than 2 below the tip lost their minor headers; later ones kept them.
    for (let h = 1; h < tipHeight - 2; h++) assert.ok(idx.canonicalAt(h)!.pruned && idx.canonicalAt(h)!.block.minorHeaders.length === 0, `root ${h} pruned`);
    for (let h = tipHeight - 2; h <= tipHeight; h++) assert.ok(!idx.canonicalAt(h)!.pruned && idx.canonicalAt(h)!.block.minorHeaders.length > 0, `root ${h} kept`);
    assert.ok(!net.root.isCommitted(first.hash), 'a header confirmed long ago is forgotten');
    assert.ok(net.root.isCommitted(idleLast.hash), 'the idle shard\'s last confirmed header is kept');
    // The shards dropped the root bodies below their cursors too.
    const c4 = net.chain(0x4);
    assert.equal(c4.rootBlock(rootHeaderHash(r1.header))?.pruned, true);
    assert.equal(c4.rootBlock(idx.tip.hash)?.pruned, false);
    // The idle shard resumes: its new block builds on the kept header and the next root block confirms it.
    const resumed = await net.mineShard(idle);
    const rb = await net.mineRoot();
    assert.ok(rb.minorHeaders.some((h) => h.branch === idle && h.height === resumed.block.header.height), 'the resumed shard is confirmed');
    // Once the idle shard's old header is no longer the last confirmed one, it goes too.
    for (let round = 0; round < 3; round++) {
      for (const id of net.ids) await net.mineShard(id);
      await net.mineRoot();
    }
    assert.ok(!net.root.isCommitted(idleLast.hash), 'the idle shard\'s old header is forgotten once superseded');
    assert.ok((await net.conservationFromStats()).ok);
  } finally {
    await net.close();
  }
});
