/**
 * Fork choice (issue 2): a root reorg rewinds shard tips and re-queues their transactions; a
 * longer shard fork that does not descend from the root-confirmed block loses; equal-height ties.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../src/core/branch.js';
import { keyOf } from '../../src/core/bytes.js';
import { txHash } from '../../src/core/transaction.js';
import { minorHeadersMerkleRoot, rootHeaderHash, type RootBlock } from '../../src/core/rootBlock.js';
import { rootCoinbaseAmount } from '../../src/consensus/rewards.js';
import { LocalNet, sealMinor, sealRoot, testConfig } from '../utils/localNet.js';

const S4 = 0x4;
const hex = (b: Uint8Array): string => keyOf(b);

test('forks: a root reorg rewinds shard tips and re-queues their transactions', async () => {
  const net = await LocalNet.open(testConfig());
  try {
    for (const id of net.ids) await net.mineShard(id);
    await net.mineRoot(); // R1
    const r1 = net.root.tip;
    const x = await net.mineShard(S4); // X refs R1
    await net.mineRoot(); // R2a confirms X
    const r2a = net.root.tip;
    const c4 = net.chain(S4);
    const tx = net.sign(1, S4, { recipient: net.devs[2]!.recipient, fullShardKey: defaultKeyOf(S4) }, 1n, 0);
    await c4.addTx(tx);
    const y = await net.mineShard(S4); // Y refs R2a and includes tx
    assert.equal(y.block.header.hashPrevRootBlock.join(), r2a.hash.join());
    assert.equal(c4.pool.size, 0);
    // A heavier root fork R2b → R3b from R1 that does not contain Y's root reference.
    net.now += 1;
    const r2b = sealRoot(net.root.createBlockToMine(net.now + 5, net.coinbase(S4), r1), net.cfg);
    await net.addRootBlock(r2b);
    assert.equal(hex(net.root.tip.hash), hex(r2a.hash), 'equal total difficulty: first seen wins');
    const r3b = sealRoot(net.root.createBlockToMine(net.now + 10, net.coinbase(S4), net.root.index.get(rootHeaderHash(r2b.header))!), net.cfg);
    net.now += 10;
    await net.addRootBlock(r3b);
    assert.equal(net.root.tip.height, 3);
    // Y referenced R2a, which left the canonical root chain: the tip rewinds to X (refs R1).
    assert.equal(hex(c4.tip.hash), hex(x.hash));
    assert.ok(c4.pool.has(txHash(tx)), "the orphaned block's transaction is back in the pool");
    assert.equal((await c4.account(net.devs[1]!.recipient)).nonce, 0);
    // Mining again includes it on the new chain.
    const z = await net.mineShard(S4);
    assert.equal(z.block.txs.length, 1);
    assert.equal(c4.pool.size, 0);
  } finally {
    await net.close();
  }
});

test('forks: a longer shard fork not descending from the root-confirmed block loses', async () => {
  const net = await LocalNet.open(testConfig());
  try {
    const c4 = net.chain(S4);
    const genesis = c4.tip;
    const x1 = await net.mineShard(S4);
    for (const id of net.ids.slice(1)) await net.mineShard(id);
    await net.mineRoot(); // R1 confirms X1
    assert.equal(hex(c4.confirmedTip.hash), hex(x1.hash));
    // A fork from genesis referencing the root genesis, three blocks long.
    let parent = genesis.hash;
    const rootGenesis = net.root.index.genesis.hash;
    const other = { recipient: net.devs[5]!.recipient, fullShardKey: defaultKeyOf(S4) };
    for (let i = 0; i < 3; i++) {
      net.now += 1;
      const f = sealMinor(await c4.createBlockToMine(net.now, other, { parent, root: rootGenesis }), net.cfg);
      const r = await net.addShardBlock(S4, f);
      assert.equal(r.isTip, false, `fork block ${i + 1} must not become the tip`);
      parent = r.hash;
    }
    assert.equal(hex(c4.tip.hash), hex(x1.hash));
  } finally {
    await net.close();
  }
});

/** A root block on the tip that confirms no shard block. */
function emptyRoot(net: LocalNet): RootBlock {
  net.now += 1;
  const rb = net.root.createBlockToMine(net.now, net.coinbase(S4));
  const header = { ...rb.header, hashMerkleRoot: minorHeadersMerkleRoot([]), coinbaseAmount: rootCoinbaseAmount(net.cfg.rootCoinbaseAmount, [], net.cfg.taxRate) };
  return sealRoot({ header, minorHeaders: [] }, net.cfg);
}

test('forks: equal height — first seen wins unless the newcomer references a higher root block', async () => {
  const net = await LocalNet.open(testConfig());
  try {
    const c4 = net.chain(S4);
    for (const id of net.ids) await net.mineShard(id);
    await net.mineRoot(); // R1 confirms height 1
    const base = c4.tip;
    const a = await net.mineShard(S4); // A: height 2, refs R1
    const other = (dev: number) => ({ recipient: net.devs[dev]!.recipient, fullShardKey: defaultKeyOf(S4) });
    net.now += 1;
    const b = sealMinor(await c4.createBlockToMine(net.now, other(5), { parent: base.hash }), net.cfg);
    assert.equal((await net.addShardBlock(S4, b)).isTip, false, 'same height, same root height: first seen stays');
    assert.equal(hex(c4.tip.hash), hex(a.hash));
    await net.addRootBlock(emptyRoot(net)); // R2 confirms nothing new
    assert.equal(hex(c4.tip.hash), hex(a.hash));
    net.now += 1;
    const c = sealMinor(await c4.createBlockToMine(net.now, other(6), { parent: base.hash }), net.cfg);
    const rc = await net.addShardBlock(S4, c);
    assert.equal(rc.isTip, true, 'same height, higher root reference: the newcomer wins');
    assert.equal(hex(c4.tip.hash), hex(rc.hash));
    assert.ok(await net.conservation().then((r) => r.ok));
  } finally {
    await net.close();
  }
});
