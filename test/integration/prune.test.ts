/** Long in-memory runs: with `retainBlocks`, old bodies and consumed lists go; state and conservation stay. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../src/core/branch.js';
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
    // block), so that prune reached confirmed − 3 − retain.
    for (let h = 1; h <= confirmedHeight - 3 - 2; h++) {
      assert.equal(await c4.getBlock(c4.canonicalAt(h)!.hash), undefined, `body at height ${h} is pruned`);
    }
    assert.ok(await c4.getBlock(c4.canonicalAt(confirmedHeight)!.hash), 'bodies inside the window are kept');
    assert.equal((await c4.account(net.devs[1]!.recipient)).nonce, nonce, 'the tip state has every transfer');
    assert.ok((await net.conservationFromStats()).ok);
  } finally {
    await net.close();
  }
});
