/**
 * The shard's RPC queries on a chain with a fork: the transaction index only answers with the
 * canonical block (a transfer of an orphaned block is pending again, then found in its new
 * block); QuarkChain's stats count the orphan as one stale block in the 60 s window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../../src/core/branch.js';
import { keyOf } from '../../../src/core/bytes.js';
import { decodeMinorBlock } from '../../../src/core/minorBlock.js';
import { txHash } from '../../../src/core/transaction.js';
import { accountAt, findBlock, lookupTx, shardStats } from '../../../src/shard/queries.js';
import { minorHeadersMerkleRoot, type RootBlock } from '../../../src/core/rootBlock.js';
import { rootCoinbaseAmount } from '../../../src/consensus/rewards.js';
import { LocalNet, sealMinor, sealRoot, testConfig } from '../../utils/localNet.js';

const S4 = 0x4;

/** A root block on the tip that confirms no shard block (so a sibling may reference it). */
function emptyRoot(net: LocalNet): RootBlock {
  net.now += 1;
  const rb = net.root.createBlockToMine(net.now, net.coinbase(S4));
  const header = { ...rb.header, hashMerkleRoot: minorHeadersMerkleRoot([]), coinbaseAmount: rootCoinbaseAmount(net.cfg.rootCoinbaseAmount, [], net.cfg.taxRate) };
  return sealRoot({ header, minorHeaders: [] }, net.cfg);
}

test('shard queries: tx index follows the canonical chain; stale blocks and 60 s counts as QuarkChain', async () => {
  const net = await LocalNet.open(testConfig());
  try {
    const c = net.chain(S4);
    for (const id of net.ids) await net.mineShard(id);
    await net.mineRoot(); // R1 confirms height 1
    const base = c.tip;
    const to = { recipient: net.devs[3]!.recipient, fullShardKey: defaultKeyOf(S4) };
    const tx = net.sign(2, S4, to, 5n, 0);
    const h = txHash(tx);
    await c.addTx(tx);
    assert.equal((await lookupTx(c, h)).tx?.block, null, 'pending: in the pool');
    const a = await net.mineShard(S4); // A: height 2, includes the transfer
    const inA = (await lookupTx(c, h)).tx!;
    assert.equal(keyOf(inA.block!.hash), keyOf(a.hash));
    assert.equal(inA.block!.index, 0);
    assert.equal(keyOf(inA.sender), keyOf(net.devs[2]!.recipient));

    // A sibling of A referencing a higher root block wins the tie; A's transfer goes back to the pool.
    await net.addRootBlock(emptyRoot(net));
    net.now += 1;
    const other = { recipient: net.devs[6]!.recipient, fullShardKey: defaultKeyOf(S4) };
    const b = sealMinor(await c.createBlockToMine(net.now, other, { parent: base.hash }), net.cfg);
    assert.equal(b.txs.length, 0);
    assert.equal((await net.addShardBlock(S4, b)).isTip, true);
    const back = (await lookupTx(c, h)).tx!;
    assert.equal(back.block, null, 'the orphaned block does not count: pending again');
    const cBlock = await net.mineShard(S4); // height 3, includes it again
    const inC = (await lookupTx(c, h)).tx!;
    assert.equal(keyOf(inC.block!.hash), keyOf(cBlock.hash));
    assert.equal(inC.block!.height, 3);

    const s = shardStats(c);
    assert.equal(s.height, 3);
    assert.equal(s.blockCount60s, 3, 'heights 1..3 of the canonical chain');
    assert.equal(s.staleBlockCount60s, 1, 'height 2 has two blocks');
    assert.equal(s.txCount60s, 1);
    assert.equal(s.totalTxCount, 1, 'the orphan does not count');
    assert.equal(s.pendingTxCount, 0);
    assert.equal(s.lastBlockTime, cBlock.header.createTime - b.header.createTime);

    const g = (await findBlock(c, { height: 0 }))!;
    assert.equal(decodeMinorBlock(g.block).header.height, 0, 'genesis is served');
    const full = (await findBlock(c, { hash: cBlock.hash, withSenders: true }))!;
    assert.deepEqual(full.senders!.map(keyOf), [keyOf(net.devs[2]!.recipient)]);
    assert.equal((await findBlock(c, { hash: a.hash }))!.canonical, false);
    assert.equal(await findBlock(c, { height: 9 }), null);
    assert.equal((await accountAt(c, net.devs[2]!.recipient, 0))!.nonce, 0);
    assert.equal((await accountAt(c, net.devs[2]!.recipient, null))!.nonce, 1);
    assert.equal(await accountAt(c, net.devs[2]!.recipient, 99), null);
  } finally {
    await net.close();
  }
});
