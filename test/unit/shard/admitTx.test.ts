/**
 * One set of transaction rules (consensus/txRules.ts): for each stateless rule and the balance
 * rule, pool admission refuses the transfer with the same code that block application
 * (applyTx) gives for it, and the valid transfer is admitted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../../src/core/branch.js';
import { ChainError } from '../../../src/core/errors.js';
import { txHash, type Transaction, type UnsignedTransaction } from '../../../src/core/transaction.js';
import { signTx, recoverSender } from '../../../src/crypto/keys.js';
import { applyTx, type TxContext } from '../../../src/consensus/applyTx.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../../../src/consensus/gas.js';
import { devAccounts } from '../../../src/consensus/genesis.js';
import { StateOverlay } from '../../../src/consensus/stateOverlay.js';
import { ShardChain } from '../../../src/shard/shardChain.js';
import { memKv } from '../../../src/store/memKv.js';
import { testConfig } from '../../utils/localNet.js';
import { keyToFullShardId } from '../../../src/core/branch.js';
import { allShardIds, shardSizeOf } from '../../../src/core/config.js';

const cfg = testConfig();
const [S0, S1] = allShardIds(cfg) as [number, number];
const dev = devAccounts(cfg)[0]!;
const inShard: UnsignedTransaction = {
  nonce: 0, gasPrice: 1_000_000_000n, gasLimit: GAS_TRANSFER, to: { recipient: dev.recipient, fullShardKey: defaultKeyOf(S0) },
  value: 1n, networkId: cfg.networkId, fromFullShardKey: defaultKeyOf(S0),
};
const xshard: UnsignedTransaction = { ...inShard, gasLimit: 40_000, to: { recipient: dev.recipient, fullShardKey: defaultKeyOf(S1) } };
const sign = (base: UnsignedTransaction, o: Partial<UnsignedTransaction>): Transaction => signTx({ ...base, ...o }, dev.privateKey);

const codeOf = async (p: Promise<unknown> | (() => unknown)): Promise<string | null> => {
  try {
    await (typeof p === 'function' ? p() : p);
    return null;
  } catch (e) {
    return ChainError.from(e).code;
  }
};

/** Each rule: a transfer breaking only it. */
const cases: [string, Transaction][] = [
  ['wrong network', sign(inShard, { networkId: cfg.networkId + 1 })],
  ['sender key of another shard', sign(inShard, { fromFullShardKey: defaultKeyOf(S1) })],
  ['gas price below the minimum', sign(inShard, { gasPrice: cfg.minGasPrice - 1n })],
  ['destination chain unknown', sign(inShard, { to: { recipient: dev.recipient, fullShardKey: 0x7fff0000 } })],
  ['in-shard gas limit 20,000 (< intrinsic 21,000)', sign(inShard, { gasLimit: 20_000 })],
  ['cross-shard gas limit below 30,000', sign(xshard, { gasLimit: GAS_XSHARD_MIN - 1 })],
  ['cross-shard gas limit above xshardGasLimit', sign(xshard, { gasLimit: cfg.xshardGasLimit + 1 })],
  ['balance below value + gas', sign(inShard, { value: 10n ** 40n })],
];

test('admitTx: the pool refuses each rule with the code block validation gives', async () => {
  assert.ok(cfg.minGasPrice > 0n, 'the gas price case needs a positive minimum');
  const chain = await ShardChain.open(cfg, S0, memKv());
  try {
    const state = await chain.stateAt();
    const ctx: TxContext = {
      networkId: cfg.networkId, shardId: S0, xshardGasLimit: cfg.xshardGasLimit, minGasPrice: cfg.minGasPrice,
      keyToShard: (k) => keyToFullShardId(k, shardSizeOf(cfg)), xshardEnabled: true,
    };
    for (const [rule, tx] of cases) {
      const block = await codeOf(() => applyTx(new StateOverlay(state), tx, recoverSender(tx), txHash(tx), cfg.gasLimit, ctx));
      assert.ok(block, `${rule}: block application refuses it`);
      assert.equal(await codeOf(chain.addTx(tx)), block, `${rule}: same code at admission`);
    }
    assert.equal(chain.pool.size, 0, 'nothing refused entered the pool');
    await chain.addTx(sign(inShard, {}));
    await chain.addTx(sign(xshard, { nonce: 1 }));
    assert.equal(chain.pool.size, 2, 'the valid in-shard and cross-shard transfers are admitted');
  } finally {
    await chain.close();
  }
});

test('admitTx: the balance covers the sender\'s transfers in the pool together, not each alone', async () => {
  const chain = await ShardChain.open(cfg, S0, memKv());
  try {
    const balance = (await chain.account(dev.recipient)).balance;
    const big = balance / 2n; // each alone is affordable; two are not (gas comes on top)
    await chain.addTx(sign(inShard, { value: big }));
    assert.equal(await codeOf(chain.addTx(sign(inShard, { nonce: 1, value: big }))), 'TX_INSUFFICIENT_BALANCE');
    assert.equal(chain.pool.size, 1);
    await chain.addTx(sign(inShard, { nonce: 1, value: 1n }));
    assert.equal(chain.pool.size, 2, 'a transfer the rest of the balance covers is admitted');
  } finally {
    await chain.close();
  }
});

test('admitTx: a sender\'s pooled transfers share one sender array, equal to the recovered sender', async () => {
  const chain = await ShardChain.open(cfg, S0, memKv());
  try {
    const a = sign(inShard, { nonce: 0 });
    const b = sign(inShard, { nonce: 1 });
    const results = await chain.addTxs([a, b], true);
    assert.ok(results.every((r) => !(r instanceof ChainError)));
    const pa = chain.pool.get(txHash(a))!;
    const pb = chain.pool.get(txHash(b))!;
    assert.equal(pa.sender, pb.sender, 'one array for both');
    assert.deepEqual(pa.sender, dev.recipient);
    assert.equal(recoverSender(b), pb.sender, 'the transfer\'s own cache holds the shared array');
    // The account read through the per-tip memo is the tip's: a second batch on the same tip sees the pool's costs too.
    const big = (await chain.account(dev.recipient)).balance;
    const [r] = await chain.addTxs([sign(inShard, { nonce: 2, value: big })], true);
    assert.ok(r instanceof ChainError && r.code === 'TX_INSUFFICIENT_BALANCE');
  } finally {
    await chain.close();
  }
});
