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
