/**
 * In-process scenario (issue 2): 4 shards + root on LevelDB in a temp dir; signed in-shard and
 * cross-shard transfers; deposits applied only after root confirmation, in cursor order, across
 * the cross-shard gas limit boundary; conservation after every root block; restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../src/core/branch.js';
import type { Address } from '../../src/core/address.js';
import { LocalNet, testConfig } from '../utils/localNet.js';

const [S4, S5, S6, S7] = [0x4, 0x5, 0x6, 0x7];
const GWEI = 1_000_000_000n;

async function mineAll(net: LocalNet): Promise<void> {
  for (const id of net.ids) await net.mineShard(id);
}

async function rootAndCheck(net: LocalNet): Promise<void> {
  await net.mineRoot();
  const c = await net.conservation();
  assert.ok(c.ok, `conservation at root ${net.root.tip.height}: balances ${c.balances} + inFlight ${c.inFlight} ≠ expected ${c.expected}`);
  const s = await net.conservationFromStats();
  assert.deepEqual(s, c, 'the cumulative-statistics computation agrees with the independent one');
}

function addr(net: LocalNet, dev: number, shard: number): Address {
  return { recipient: net.devs[dev]!.recipient, fullShardKey: defaultKeyOf(shard) };
}

test('scenario: transfers, deposits after root confirmation, conservation, restart', async () => {
  const net = await LocalNet.open(testConfig(), { disk: true });
  try {
    await mineAll(net);
    await rootAndCheck(net); // R1: cross-shard becomes possible for blocks referencing it
    const c4 = net.chain(S4);
    const to5 = addr(net, 3, S5);
    const before5 = (await net.chain(S5).account(to5.recipient)).balance;
    const refundee = net.devs[1]!.recipient;
    const refundBefore = (await net.chain(S5).account(refundee)).balance;

    await c4.addTx(net.sign(1, S4, addr(net, 2, S4), 5n * GWEI, 0)); // in-shard
    await c4.addTx(net.sign(1, S4, to5, 7n * GWEI, 1, { gasLimit: 50_000 })); // cross-shard 0x4 → 0x5
    const b = await net.mineShard(S4);
    assert.equal(b.block.txs.length, 2);
    assert.equal((await c4.account(addr(net, 2, S4).recipient)).balance, net.cfg.devBalance + 5n * GWEI);
    assert.equal((await c4.account(refundee)).nonce, 2);

    // Not confirmed by a root block yet: the destination does not apply it.
    await net.mineShard(S5);
    assert.equal((await net.chain(S5).account(to5.recipient)).balance, before5);

    await rootAndCheck(net); // R2 confirms the source block
    const d = await net.mineShard(S5);
    assert.ok(d.applied.some((a) => !a.fromRoot), 'the deposit is applied after root confirmation');
    assert.equal((await net.chain(S5).account(to5.recipient)).balance, before5 + 7n * GWEI);
    // The unused gas (50,000 − 30,000) is refunded to the sender's recipient in the destination shard.
    assert.equal((await net.chain(S5).account(refundee)).balance, refundBefore + 20_000n * GWEI);
    for (const id of [S6, S7, S4]) await net.mineShard(id);
    await rootAndCheck(net);
    await mineAll(net);
    await rootAndCheck(net);

    // Restart: close and reopen every store; tips, balances and cursors are identical.
    const snapshot = await Promise.all(net.ids.map(async (id) => {
      const ch = net.chain(id);
      return { tip: Buffer.from(ch.tip.hash).toString('hex'), cursor: ch.tip.meta.cursor, root: ch.rootTip.height, state: Buffer.from((await ch.stateAt()).root()).toString('hex') };
    }));
    const rootTip = net.root.tip.height;
    await net.close(false);
    const again = await LocalNet.open(net.cfg, { dir: net.dir! });
    try {
      assert.equal(again.root.tip.height, rootTip);
      for (const [i, id] of again.ids.entries()) {
        const ch = again.chain(id);
        assert.deepEqual({ tip: Buffer.from(ch.tip.hash).toString('hex'), cursor: ch.tip.meta.cursor, root: ch.rootTip.height, state: Buffer.from((await ch.stateAt()).root()).toString('hex') }, snapshot[i]);
      }
      assert.equal((await again.chain(S5).account(to5.recipient)).balance, before5 + 7n * GWEI);
      again.appliedBy.clear();
      await mineAll(again);
      await again.mineRoot();
    } finally {
      await again.close();
    }
  } finally {
    await net.close().catch(() => undefined);
  }
});

test('scenario: deposits cross the cross-shard gas limit boundary in cursor order', async () => {
  // gasLimit 60,000 → cross-shard limit 30,000: four deposits (36,000 gas) per block at most.
  const net = await LocalNet.open(testConfig({ gasLimit: 60_000, xshardGasLimit: 30_000 }));
  try {
    await mineAll(net);
    await rootAndCheck(net);
    const to = addr(net, 4, S5);
    let nonce = 0;
    for (let blk = 0; blk < 3; blk++) {
      for (let i = 0; i < 2; i++) await net.chain(S4).addTx(net.sign(1, S4, to, BigInt(1 + nonce), nonce++, { gasLimit: 30_000 }));
      const b = await net.mineShard(S4);
      assert.equal(b.block.txs.length, 2, 'two 30,000-gas transfers fill a 60,000-gas block');
    }
    await rootAndCheck(net); // confirms three source blocks with six deposits
    const first = await net.mineShard(S5);
    const dep1 = first.applied.filter((a) => !a.fromRoot).map((a) => a.deposit.value);
    assert.deepEqual(dep1, [1n, 2n, 3n, 4n], 'stops once cross-shard gas used ≥ limit (overshooting by one)');
    const c = net.chain(S5).tip.meta;
    assert.equal(c.xshardGasUsed, 36_000);
    assert.deepEqual(c.cursor, { rootHeight: 2, minorIndex: 2, depositIndex: 1 });
    const second = await net.mineShard(S5);
    assert.deepEqual(second.applied.filter((a) => !a.fromRoot).map((a) => a.deposit.value), [5n, 6n]);
    assert.deepEqual(net.chain(S5).tip.meta.cursor, { rootHeight: 3, minorIndex: 0, depositIndex: 0 });
    await rootAndCheck(net);
  } finally {
    await net.close();
  }
});
