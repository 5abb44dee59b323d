/**
 * End-to-end rejections (issue: "one test per validation rule, each error code reachable")
 * through ShardChain.addBlock, ShardChain.addRootBlock and RootChain.addBlock on a LocalNet.
 * Every test starts from a VALID block built and sealed by the real code, changes exactly one
 * thing (recomputing the tx root, hashMeta, merkle root, root coinbase and seal unless those are
 * the rule), and asserts the exact code and class, and that the chain is unchanged: tip, root
 * tip, state, pool. Peel tables check the order of DESIGN §5 on the real chain; notYet
 * rejections are retried and accepted once what was missing arrives.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../src/core/branch.js';
import { bigintToBytes, bytesToBigint, keyOf, type Bytes } from '../../src/core/bytes.js';
import type { ErrorClass } from '../../src/core/errors.js';
import { minorHeaderHash, minorSealHash, type MinorBlock, type MinorHeader } from '../../src/core/minorBlock.js';
import { rootHeaderHash, rootSealHash, type RootBlock } from '../../src/core/rootBlock.js';
import { txHash, type Transaction } from '../../src/core/transaction.js';
import { deriveDevKey, SECP256K1_N, signTx } from '../../src/crypto/keys.js';
import { MAX_FUTURE_SECONDS } from '../../src/consensus/validateMinorHeader.js';
import type { Address } from '../../src/core/address.js';
import { LocalNet, sealMinor, sealRoot, testConfig } from '../utils/localNet.js';
import { editMinor, editRoot, expectCodeAsync, findNonce, type MinorEdit, type RootEdit } from '../utils/blockEdit.js';

const [S4, S5, S6, S7] = [0x4, 0x5, 0x6, 0x7];
const GWEI = 1_000_000_000n;
const h32 = (n: number): Bytes => { const b = new Uint8Array(32); b[0] = n; b[31] = 0xab; return b; };
const nonZero32 = (): Bytes => { const b = new Uint8Array(32); b[31] = 1; return b; };
const hex = (b: Bytes): string => keyOf(b);

function addr(net: LocalNet, dev: number, shard: number): Address {
  return { recipient: net.devs[dev]!.recipient, fullShardKey: defaultKeyOf(shard) };
}

/** Everything a rejected block must leave alone on shard `id`. */
async function shardSnapshot(net: LocalNet, id: number, txs: readonly Transaction[] = []): Promise<string> {
  const c = net.chain(id);
  const parts = [hex(c.tip.hash), hex(c.rootTip.hash), hex(c.confirmedTip.hash), hex((await c.stateAt()).root()), `pool ${c.pool.size}`, `uncommitted ${c.uncommitted().length}`];
  for (const d of net.devs) { const a = await c.account(d.recipient); parts.push(`${a.balance}/${a.nonce}`); }
  for (const tx of txs) parts.push(`${hex(txHash(tx))}:${c.pool.has(txHash(tx))}`);
  return parts.join('|');
}

function rootSnapshot(net: LocalNet): string {
  return `${hex(net.root.tip.hash)}|${net.root.index.size}`;
}

/** Adds `block` to shard `id` through the shard service; asserts the rejection and that nothing changed. */
async function rejectMinor(net: LocalNet, id: number, block: MinorBlock, code: string, cls: ErrorClass, poolTxs: readonly Transaction[] = []): Promise<void> {
  const before = await shardSnapshot(net, id, poolTxs);
  const rootBefore = rootSnapshot(net);
  await expectCodeAsync(net.addShardBlock(id, block), code, cls);
  const hash = minorHeaderHash(block.header);
  assert.equal(net.chain(id).block(hash), undefined, `${code}: the rejected block is not stored`);
  assert.equal(await net.chain(id).getBlock(hash), undefined);
  assert.equal(await shardSnapshot(net, id, poolTxs), before, `${code}: tip, state and pool unchanged`);
  assert.equal(rootSnapshot(net), rootBefore, `${code}: nothing reported to the root chain`);
  assert.equal(net.root.isCommitted(hash), false);
}

async function rejectRoot(net: LocalNet, rb: RootBlock, code: string, cls: ErrorClass): Promise<void> {
  const before = rootSnapshot(net);
  await expectCodeAsync(net.root.addBlock(rb, { nowSec: net.now }), code, cls);
  assert.equal(net.root.index.get(rootHeaderHash(rb.header)), undefined, `${code}: the rejected root block is not stored`);
  assert.equal(rootSnapshot(net), before, `${code}: root tip unchanged`);
}

/** The same signature with s → n − s and the recovery id flipped: it recovers the same key, but s is high. */
function highS(tx: Transaction): Transaction {
  const s = bytesToBigint(SECP256K1_N) - bytesToBigint(tx.s);
  return { ...tx, s: bigintToBytes(s, 32), v: tx.v ^ 1 };
}

// ---- minor blocks ----------------------------------------------------------------------

describe('ShardChain.addBlock: one rejection per rule from a valid block', () => {
  let net: LocalNet;
  let valid: MinorBlock;
  let parent: MinorHeader;
  let inShard: Transaction;
  let xShard: Transaction;
  let r0: Bytes;
  let unknownRoot: Bytes;
  const reject = (b: MinorBlock, code: string, cls: ErrorClass = 'invalid'): Promise<void> => rejectMinor(net, S4, b, code, cls, [inShard, xShard]);
  const edit = (e: MinorEdit): MinorBlock => editMinor(valid, net.cfg, e);

  before(async () => {
    net = await LocalNet.open(testConfig());
    r0 = net.root.tip.hash;
    for (const id of net.ids) await net.mineShard(id); // height 1, referencing the root genesis
    await net.mineRoot(); // R1
    await net.mineShard(S4); // height 2, references R1
    await net.chain(S5).addTx(net.sign(1, S5, addr(net, 3, S4), 7n * GWEI, 0, { gasLimit: 50_000 })); // 0x5 → 0x4
    await net.mineShard(S5);
    await net.mineRoot(); // R2 confirms both: the deposit becomes applicable in 0x4
    inShard = net.sign(1, S4, addr(net, 2, S4), 5n * GWEI, 0);
    xShard = net.sign(1, S4, addr(net, 4, S6), 3n * GWEI, 1, { gasLimit: 40_000 });
    await net.chain(S4).addTx(inShard);
    await net.chain(S4).addTx(xShard);
    net.now += 1;
    valid = sealMinor(await net.chain(S4).createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
    parent = net.chain(S4).tip.header;
    // A root block the root chain made but no shard has seen.
    unknownRoot = rootHeaderHash(sealRoot(net.root.createBlockToMine(net.now + 1, net.coinbase(S4)), net.cfg).header);
  });
  after(async () => { await net.close(); });

  test('the base block is a real one: two txs, a cross-shard deposit applied, past the genesis cursor', () => {
    assert.equal(valid.txs.length, 2);
    assert.equal(valid.meta.xshardGasUsed, 9_000);
    assert.equal(valid.meta.gasUsed, 2 * 21_000 + 9_000);
    assert.deepEqual(valid.meta.cursor, { rootHeight: 3, minorIndex: 0, depositIndex: 0 });
    assert.equal(hex(valid.header.hashPrevMinorBlock), hex(net.chain(S4).tip.hash));
  });

  // header
  test('BLOCK_BAD_VERSION', () => reject(edit({ header: { version: 1 } }), 'BLOCK_BAD_VERSION'));
  test('BLOCK_BAD_BRANCH', () => reject(edit({ header: { branch: S5 } }), 'BLOCK_BAD_BRANCH'));
  test('BLOCK_BAD_HEIGHT (0, and parent + 2)', async () => {
    await reject(edit({ header: { height: 0 } }), 'BLOCK_BAD_HEIGHT');
    await reject(edit({ header: { height: valid.header.height + 1 } }), 'BLOCK_BAD_HEIGHT');
  });
  test('BLOCK_PARENT_UNKNOWN is notYet', () => reject(edit({ header: { hashPrevMinorBlock: h32(1) } }), 'BLOCK_PARENT_UNKNOWN', 'notYet'));
  test('BLOCK_BAD_GAS_LIMIT', () => reject(edit({ header: { gasLimit: net.cfg.gasLimit - 1 } }), 'BLOCK_BAD_GAS_LIMIT'));
  test('BLOCK_TIME_NOT_AFTER_PARENT', () => reject(edit({ header: { createTime: parent.createTime } }), 'BLOCK_TIME_NOT_AFTER_PARENT'));
  test('BLOCK_TIME_IN_FUTURE is notYet (a candidate built 16 s ahead)', async () => {
    const ahead = sealMinor(await net.chain(S4).createBlockToMine(net.now + MAX_FUTURE_SECONDS + 1, net.coinbase(S4)), net.cfg);
    await reject(ahead, 'BLOCK_TIME_IN_FUTURE', 'notYet');
  });
  test('BLOCK_BAD_DIFFICULTY', () => reject(edit({ header: { difficulty: valid.header.difficulty + 1n } }), 'BLOCK_BAD_DIFFICULTY'));
  test('BAD_MIXHASH (the nonce still meets the target)', () => reject(edit({ header: { mixhash: nonZero32() }, noReseal: true }), 'BAD_MIXHASH'));
  // root reference
  test('BLOCK_ROOT_UNKNOWN is notYet', () => reject(edit({ header: { hashPrevRootBlock: unknownRoot } }), 'BLOCK_ROOT_UNKNOWN', 'notYet'));
  test("BLOCK_ROOT_NOT_DESCENDANT: the root genesis, below the parent's R1", () => reject(edit({ header: { hashPrevRootBlock: r0 } }), 'BLOCK_ROOT_NOT_DESCENDANT'));
  // body
  test('BLOCK_BAD_META_HASH', () => reject(edit({ header: { hashMeta: h32(2) } }), 'BLOCK_BAD_META_HASH'));
  test('BLOCK_BAD_XSHARD_GAS_LIMIT', () => reject(edit({ meta: { xshardGasLimit: net.cfg.xshardGasLimit - 1 } }), 'BLOCK_BAD_XSHARD_GAS_LIMIT'));
  test('BLOCK_BAD_COINBASE_SHARD', () => reject(edit({ header: { coinbase: addr(net, 0, S5) } }), 'BLOCK_BAD_COINBASE_SHARD'));
  test('UNKNOWN_CHAIN: a coinbase key naming a chain that does not exist', () => reject(edit({ header: { coinbase: { recipient: net.devs[0]!.recipient, fullShardKey: 0x10000 } } }), 'UNKNOWN_CHAIN'));
  test('BLOCK_BAD_TX_ROOT: a tx dropped under the same root', () => reject(edit({ txs: [inShard], keepTxRoot: true }), 'BLOCK_BAD_TX_ROOT'));
  // transactions (any failing tx makes the block invalid)
  test('TX_BAD_NONCE: the two txs swapped', () => reject(edit({ txs: [xShard, inShard] }), 'TX_BAD_NONCE'));
  test('TX_WRONG_NETWORK', () => reject(edit({ txs: [net.sign(1, S4, addr(net, 2, S4), 5n * GWEI, 0, { networkId: net.cfg.networkId + 1 }), xShard] }), 'TX_WRONG_NETWORK'));
  test('TX_INSUFFICIENT_BALANCE: a sender with no funds', () => {
    const broke = signTx({ ...inShard, nonce: 0, value: 1n }, deriveDevKey('nobody', 0));
    return reject(edit({ txs: [inShard, xShard, broke] }), 'TX_INSUFFICIENT_BALANCE');
  });
  test('TX_BLOCK_GAS_EXCEEDED: the deposit left gasLimit − 9,000 for the txs', () => {
    const big = net.sign(1, S4, addr(net, 2, S4), 5n * GWEI, 0, { gasLimit: net.cfg.gasLimit - 9_000 + 1 });
    return reject(edit({ txs: [big] }), 'TX_BLOCK_GAS_EXCEEDED');
  });
  test('TX_WRONG_SHARD: a tx of shard 0x5 in a 0x4 block', () => reject(edit({ txs: [net.sign(1, S5, addr(net, 2, S5), 5n * GWEI, 0), xShard] }), 'TX_WRONG_SHARD'));
  test('TX_GAS_PRICE_TOO_LOW', () => reject(edit({ txs: [net.sign(1, S4, addr(net, 2, S4), 5n * GWEI, 0, { gasPrice: net.cfg.minGasPrice - 1n }), xShard] }), 'TX_GAS_PRICE_TOO_LOW'));
  test('TX_INTRINSIC_GAS: a cross-shard tx with a gas limit of 29,999', () => reject(edit({ txs: [inShard, net.sign(1, S4, addr(net, 4, S6), 3n * GWEI, 1, { gasLimit: 29_999 })] }), 'TX_INTRINSIC_GAS'));
  test('TX_XSHARD_GAS_LIMIT: a cross-shard gas limit above the cross-shard gas limit', () =>
    reject(edit({ txs: [inShard, net.sign(1, S4, addr(net, 4, S6), 3n * GWEI, 1, { gasLimit: net.cfg.xshardGasLimit + 1 })] }), 'TX_XSHARD_GAS_LIMIT'));
  test('SIG_HIGH_S: the same signature malleated to high s', () => reject(edit({ txs: [highS(inShard), xShard] }), 'SIG_HIGH_S'));
  test('SIG_BAD_V and SIG_RANGE', async () => {
    await reject(edit({ txs: [{ ...inShard, v: 2 }, xShard] }), 'SIG_BAD_V');
    await reject(edit({ txs: [{ ...inShard, r: new Uint8Array(32) }, xShard] }), 'SIG_RANGE');
  });
  // post-state
  test('BLOCK_BAD_CURSOR', () => reject(edit({ meta: { cursor: { rootHeight: 3, minorIndex: 0, depositIndex: 1 } } }), 'BLOCK_BAD_CURSOR'));
  test('BLOCK_BAD_XSHARD_GAS_USED', () => reject(edit({ meta: { xshardGasUsed: 0 } }), 'BLOCK_BAD_XSHARD_GAS_USED'));
  test('BLOCK_BAD_GAS_USED', () => reject(edit({ meta: { gasUsed: valid.meta.gasUsed + 1 } }), 'BLOCK_BAD_GAS_USED'));
  test('BLOCK_BAD_COINBASE_AMOUNT', () => reject(edit({ header: { coinbaseAmount: valid.header.coinbaseAmount + 1n } }), 'BLOCK_BAD_COINBASE_AMOUNT'));
  test("BLOCK_BAD_STATE_ROOT: the parent's state root", () => reject(edit({ meta: { stateRoot: net.chain(S4).tip.meta.stateRoot } }), 'BLOCK_BAD_STATE_ROOT'));

  test('order: a block wrong in several ways reports the earliest rule of DESIGN §5', async () => {
    // Row i applies edits i..end together (hashMeta, the tx root and the seal are recomputed
    // except where a row breaks them on purpose).
    const steps: { code: string; cls?: ErrorClass; e: MinorEdit }[] = [
      { code: 'BLOCK_BAD_VERSION', e: { header: { version: 1 } } },
      { code: 'BLOCK_BAD_BRANCH', e: { header: { branch: S6 } } },
      { code: 'BLOCK_PARENT_UNKNOWN', cls: 'notYet', e: { header: { hashPrevMinorBlock: h32(3) } } },
      { code: 'BLOCK_BAD_HEIGHT', e: { header: { height: 99 } } },
      { code: 'BLOCK_BAD_GAS_LIMIT', e: { header: { gasLimit: 60_000 } } },
      { code: 'BLOCK_TIME_IN_FUTURE', cls: 'notYet', e: { header: { createTime: net.now + MAX_FUTURE_SECONDS + 1 } } },
      { code: 'BLOCK_BAD_DIFFICULTY', e: { header: { difficulty: 7n } } },
      { code: 'BAD_MIXHASH', e: { header: { mixhash: nonZero32() } } },
      { code: 'BLOCK_ROOT_UNKNOWN', cls: 'notYet', e: { header: { hashPrevRootBlock: unknownRoot } } },
      { code: 'BLOCK_BAD_META_HASH', e: { header: { hashMeta: h32(4) } } },
      { code: 'BLOCK_BAD_XSHARD_GAS_LIMIT', e: { meta: { xshardGasLimit: 1 } } },
      { code: 'BLOCK_BAD_COINBASE_SHARD', e: { header: { coinbase: addr(net, 0, S7) } } },
      { code: 'BLOCK_BAD_TX_ROOT', e: { keepTxRoot: true } },
      { code: 'TX_BAD_NONCE', e: { txs: [xShard, inShard] } },
      { code: 'BLOCK_BAD_CURSOR', e: { meta: { cursor: { rootHeight: 2, minorIndex: 0, depositIndex: 0 } } } },
      { code: 'BLOCK_BAD_XSHARD_GAS_USED', e: { meta: { xshardGasUsed: 1 } } },
      { code: 'BLOCK_BAD_GAS_USED', e: { meta: { gasUsed: 1 } } },
      { code: 'BLOCK_BAD_COINBASE_AMOUNT', e: { header: { coinbaseAmount: 1n } } },
      { code: 'BLOCK_BAD_STATE_ROOT', e: { meta: { stateRoot: h32(5) } } },
    ];
    for (let i = 0; i < steps.length; i++) {
      let e: MinorEdit = {};
      for (const s of steps.slice(i)) {
        e = { ...e, ...s.e, header: { ...e.header, ...s.e.header }, meta: { ...e.meta, ...s.e.meta } };
      }
      await reject(editMinor(valid, net.cfg, e), steps[i]!.code, steps[i]!.cls ?? 'invalid');
    }
  });

  test('after all those rejections the valid block is accepted and takes its txs out of the pool', async () => {
    const r = await net.addShardBlock(S4, valid);
    assert.equal(r.status, 'added');
    assert.equal(r.isTip, true);
    assert.equal(net.chain(S4).pool.size, 0);
    assert.equal((await net.chain(S4).account(net.devs[1]!.recipient)).nonce, 2);
  });
});

describe('ShardChain.addBlock: root-reference conflicts and notYet retries', () => {
  test('BLOCK_ROOT_CONFIRMED_CONFLICT: a fork block referencing a root block that confirms the other branch', async () => {
    const net = await LocalNet.open(testConfig());
    try {
      for (const id of net.ids) await net.mineShard(id);
      const h1 = net.chain(S4).tip;
      await net.mineRoot(); // R1 confirms h1
      const r1 = net.root.tip.hash;
      await net.mineShard(S4); // X at height 2
      await net.mineRoot(); // R2 confirms X
      net.now += 1;
      const y = sealMinor(await net.chain(S4).createBlockToMine(net.now, addr(net, 5, S4), { parent: h1.hash, root: r1 }), net.cfg);
      const ry = await net.addShardBlock(S4, y); // a valid fork block, not the tip
      assert.equal(ry.isTip, false);
      net.now += 1;
      // Z on Y referencing R1 is fine; referencing R2 (which confirms X, not an ancestor of Y) is not.
      const zOk = sealMinor(await net.chain(S4).createBlockToMine(net.now, addr(net, 5, S4), { parent: ry.hash, root: r1 }), net.cfg);
      const zBad = sealMinor(await net.chain(S4).createBlockToMine(net.now, addr(net, 5, S4), { parent: ry.hash }), net.cfg);
      await rejectMinor(net, S4, zBad, 'BLOCK_ROOT_CONFIRMED_CONFLICT', 'invalid');
      assert.equal((await net.addShardBlock(S4, zOk)).status, 'added');
    } finally {
      await net.close();
    }
  });

  test('BLOCK_PARENT_UNKNOWN: a block from a peer ahead of us is accepted once its parent arrives', async () => {
    const a = await LocalNet.open(testConfig());
    const b = await LocalNet.open(testConfig());
    try {
      const b1 = await b.mineShard(S4);
      const b2 = await b.mineShard(S4);
      a.now = b.now;
      await rejectMinor(a, S4, b2.block, 'BLOCK_PARENT_UNKNOWN', 'notYet');
      await a.addShardBlock(S4, b1.block);
      assert.equal((await a.addShardBlock(S4, b2.block)).isTip, true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('TX_XSHARD_NOT_READY: a cross-shard tx in a block referencing the root genesis', async () => {
    const net = await LocalNet.open(testConfig());
    try {
      net.now += 1;
      const valid = sealMinor(await net.chain(S4).createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      const x = net.sign(1, S4, addr(net, 4, S6), 3n * GWEI, 0, { gasLimit: 40_000 });
      await rejectMinor(net, S4, editMinor(valid, net.cfg, { txs: [x] }), 'TX_XSHARD_NOT_READY', 'invalid');
      assert.equal((await net.addShardBlock(S4, valid)).isTip, true);
    } finally {
      await net.close();
    }
  });

  test('BLOCK_TIME_IN_FUTURE: accepted once our clock catches up', async () => {
    const net = await LocalNet.open(testConfig());
    try {
      const ahead = sealMinor(await net.chain(S4).createBlockToMine(net.now + MAX_FUTURE_SECONDS + 1, net.coinbase(S4)), net.cfg);
      await rejectMinor(net, S4, ahead, 'BLOCK_TIME_IN_FUTURE', 'notYet');
      net.now += 1;
      assert.equal((await net.addShardBlock(S4, ahead)).isTip, true);
    } finally {
      await net.close();
    }
  });

  test('BLOCK_ROOT_UNKNOWN: accepted once the shard has the root block', async () => {
    const a = await LocalNet.open(testConfig());
    const b = await LocalNet.open(testConfig());
    try {
      // Both nets run the same steps (deterministic), but `a` never delivers R1 to shard 0x4.
      for (const n of [a, b]) for (const id of n.ids) await n.mineShard(id);
      a.now += 1;
      const r1 = sealRoot(a.root.createBlockToMine(a.now, a.coinbase(S4)), a.cfg);
      await a.root.addBlock(r1, { nowSec: a.now });
      for (const id of a.ids) if (id !== S4) await a.chain(id).addRootBlock(r1);
      await b.mineRoot();
      assert.equal(hex(b.root.tip.hash), hex(rootHeaderHash(r1.header)));
      const x = await b.mineShard(S4); // references R1
      a.now = b.now;
      await rejectMinor(a, S4, x.block, 'BLOCK_ROOT_UNKNOWN', 'notYet');
      await a.chain(S4).addRootBlock(r1);
      assert.equal((await a.addShardBlock(S4, x.block)).isTip, true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

// ---- ShardChain.addRootBlock: notYet ---------------------------------------------------

describe('ShardChain.addRootBlock: notYet until what is missing arrives', () => {
  test('ROOT_PARENT_UNKNOWN: R2 before R1', async () => {
    const net = await LocalNet.open(testConfig());
    try {
      net.now += 1;
      const r1 = sealRoot(net.root.createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      await net.root.addBlock(r1, { nowSec: net.now });
      net.now += 1;
      const r2 = sealRoot(net.root.createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      await net.root.addBlock(r2, { nowSec: net.now });
      const c = net.chain(S5);
      const before = await shardSnapshot(net, S5);
      await expectCodeAsync(c.addRootBlock(r2), 'ROOT_PARENT_UNKNOWN', 'notYet');
      assert.equal(await shardSnapshot(net, S5), before);
      assert.equal(c.rootBlock(rootHeaderHash(r2.header)), undefined);
      await c.addRootBlock(r1);
      assert.equal((await c.addRootBlock(r2)).newRootTip, true);
    } finally {
      await net.close();
    }
  });

  test('ROOT_MISSING_OWN_BLOCK: a root block confirming a block of this shard that it has not received', async () => {
    const net = await LocalNet.open(testConfig());
    try {
      net.now += 1;
      const x = sealMinor(await net.chain(S4).createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      await net.root.addCommittedHeader(x.header, true); // another node committed X; this shard has not seen it
      net.now += 1;
      const r1 = sealRoot(net.root.createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      assert.equal(r1.minorHeaders.length, 1);
      await net.root.addBlock(r1, { nowSec: net.now });
      const before = await shardSnapshot(net, S4);
      await expectCodeAsync(net.chain(S4).addRootBlock(r1), 'ROOT_MISSING_OWN_BLOCK', 'notYet');
      assert.equal(await shardSnapshot(net, S4), before);
      await net.shards.get(S4)!.addBlock(x);
      assert.equal((await net.chain(S4).addRootBlock(r1)).newRootTip, true);
      assert.equal(hex(net.chain(S4).confirmedTip.hash), hex(minorHeaderHash(x.header)));
    } finally {
      await net.close();
    }
  });

  test('XSHARD_LIST_MISSING: a root block confirming a source block whose deposit list has not arrived', async () => {
    const net = await LocalNet.open(testConfig());
    try {
      for (const id of net.ids) await net.mineShard(id);
      await net.mineRoot(); // R1: blocks referencing it carry deposit lists
      await net.chain(S5).addTx(net.sign(1, S5, addr(net, 3, S4), 7n * GWEI, 0, { gasLimit: 50_000 }));
      net.now += 1;
      const y = sealMinor(await net.chain(S5).createBlockToMine(net.now, net.coinbase(S5)), net.cfg);
      const ry = await net.chain(S5).addBlock(y, { nowSec: net.now }); // stored, lists not delivered yet
      assert.equal(ry.lists.get(S4)?.length, 1);
      await net.root.addCommittedHeader(y.header, true);
      net.now += 1;
      const r2 = sealRoot(net.root.createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      await net.root.addBlock(r2, { nowSec: net.now });
      for (const id of [S4, S6, S7]) {
        const before = await shardSnapshot(net, id);
        await expectCodeAsync(net.chain(id).addRootBlock(r2), 'XSHARD_LIST_MISSING', 'notYet');
        assert.equal(await shardSnapshot(net, id), before);
      }
      await net.shards.get(S5)!.commit(ry.hash); // delivers the lists (the empty ones too)
      for (const id of net.ids) assert.equal((await net.chain(id).addRootBlock(r2)).newRootTip, true);
      const d = await net.mineShard(S4);
      assert.ok(d.applied.some((a) => !a.fromRoot), 'the deposit is applied after the list arrived');
    } finally {
      await net.close();
    }
  });
});

// ---- root blocks -----------------------------------------------------------------------

describe('RootChain.addBlock: one rejection per rule from a valid root block', () => {
  let net: LocalNet;
  let valid: RootBlock;
  let fork: RootBlock; // a sibling of R1 on the root genesis (added only at the end)
  let s4h2: MinorHeader;
  let s4h3: MinorHeader;
  let u3: MinorBlock; // an uncommitted 0x4 block on h2 (sibling of h3)
  let s5late: MinorHeader; // 0x5 height 3: committed, newer than the valid root block
  let s6h4: MinorHeader; // committed, over the per-shard cap of 2
  const edit = (e: RootEdit): RootBlock => editRoot(valid, net.cfg, e);
  const reject = (rb: RootBlock, code: string, cls: ErrorClass = 'invalid'): Promise<void> => rejectRoot(net, rb, code, cls);
  const list = (): MinorHeader[] => [...valid.minorHeaders];

  before(async () => {
    net = await LocalNet.open(testConfig({ rootMaxHeadersPerShard: 2 }));
    for (const id of net.ids) await net.mineShard(id);
    await net.mineRoot(); // R1
    for (const id of net.ids) await net.mineShard(id); // height 2
    for (const id of [S4, S6, S7]) await net.mineShard(id); // height 3
    s6h4 = (await net.mineShard(S6)).block.header;
    const c4 = net.chain(S4);
    s4h3 = c4.tip.header;
    s4h2 = c4.block(s4h3.hashPrevMinorBlock)!.header;
    u3 = sealMinor(await c4.createBlockToMine(net.now, addr(net, 6, S4), { parent: s4h3.hashPrevMinorBlock }), net.cfg);
    const late = sealMinor(await net.chain(S5).createBlockToMine(net.now + 6, net.coinbase(S5)), net.cfg);
    s5late = (await net.addShardBlock(S5, late)).header;
    net.now += 1;
    valid = sealRoot(net.root.createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
    // The fork lists height 1 of every shard: height 2 references R1, which is not on its chain.
    fork = sealRoot(net.root.createBlockToMine(net.now, net.coinbase(S5), net.root.index.genesis), net.cfg);
  });
  after(async () => { await net.close(); });

  test('the base block lists up to two headers per shard (the cap) and leaves out the late one', () => {
    assert.deepEqual(valid.minorHeaders.map((h) => `${h.branch}:${h.height}`), ['4:2', '4:3', '5:2', '6:2', '6:3', '7:2', '7:3']);
    assert.equal(hex(minorHeaderHash(valid.minorHeaders[1]!)), hex(minorHeaderHash(s4h3)));
    assert.ok(s5late.createTime > valid.header.createTime);
    assert.deepEqual(fork.minorHeaders.map((h) => `${h.branch}:${h.height}`), ['4:1', '5:1', '6:1', '7:1']);
  });

  // header
  test('ROOT_BAD_VERSION', () => reject(edit({ header: { version: 1 } }), 'ROOT_BAD_VERSION'));
  test('ROOT_BAD_HEIGHT (0, and parent + 2)', async () => {
    await reject(edit({ header: { height: 0 } }), 'ROOT_BAD_HEIGHT');
    await reject(edit({ header: { height: 3 } }), 'ROOT_BAD_HEIGHT');
  });
  test('ROOT_PARENT_UNKNOWN is notYet (parent: a sibling of R1 never added)', () => reject(edit({ header: { hashPrevBlock: rootHeaderHash(fork.header) } }), 'ROOT_PARENT_UNKNOWN', 'notYet'));
  test('ROOT_TIME_NOT_AFTER_PARENT', () => reject(edit({ header: { createTime: net.root.tip.block.header.createTime } }), 'ROOT_TIME_NOT_AFTER_PARENT'));
  test('ROOT_TIME_IN_FUTURE is notYet (a candidate built 16 s ahead)', () => {
    const rb = sealRoot(net.root.createBlockToMine(net.now + MAX_FUTURE_SECONDS + 1, net.coinbase(S4)), net.cfg);
    return reject(rb, 'ROOT_TIME_IN_FUTURE', 'notYet');
  });
  test('ROOT_BAD_DIFFICULTY (total difficulty consistent with it)', () => {
    const d = valid.header.difficulty + 1n;
    return reject(edit({ header: { difficulty: d, totalDifficulty: valid.header.totalDifficulty + 1n } }), 'ROOT_BAD_DIFFICULTY');
  });
  test('ROOT_BAD_TOTAL_DIFFICULTY', () => reject(edit({ header: { totalDifficulty: valid.header.totalDifficulty + 1n } }), 'ROOT_BAD_TOTAL_DIFFICULTY'));
  test('BAD_MIXHASH', () => reject(edit({ header: { mixhash: nonZero32() }, noReseal: true }), 'BAD_MIXHASH'));
  // body
  test('ROOT_BAD_COINBASE_ADDRESS: a coinbase on a chain that does not exist (it would stall every shard)', () =>
    reject(edit({ header: { coinbase: { recipient: net.devs[0]!.recipient, fullShardKey: 0x10000 } } }), 'ROOT_BAD_COINBASE_ADDRESS'));
  test('ROOT_BAD_MERKLE_ROOT: the last header dropped under the same merkle root', () => reject(edit({ minorHeaders: list().slice(0, -1), keepMerkle: true }), 'ROOT_BAD_MERKLE_ROOT'));
  test('ROOT_UNKNOWN_SHARD: a committed header claiming shard 0x8', async () => {
    const stray: MinorHeader = { ...s4h3, branch: 0x8 };
    await net.root.addCommittedHeader(stray, false);
    await reject(edit({ minorHeaders: [...list(), stray] }), 'ROOT_UNKNOWN_SHARD');
  });
  test('ROOT_MINOR_ORDER: the 0x5 header before the 0x4 ones', () => {
    const l = list();
    return reject(edit({ minorHeaders: [l[2]!, l[0]!, l[1]!, ...l.slice(3)] }), 'ROOT_MINOR_ORDER');
  });
  test('ROOT_MINOR_UNKNOWN is notYet: a 0x4 block that continues the chain but is not committed', () => {
    const l = list();
    l[1] = u3.header;
    return reject(edit({ minorHeaders: l }), 'ROOT_MINOR_UNKNOWN', 'notYet');
  });
  test('ROOT_MINOR_TIME: a committed header newer than the root block', () => {
    const l = list();
    l.splice(3, 0, s5late); // continues 0x5 height 2, within the cap
    return reject(edit({ minorHeaders: l }), 'ROOT_MINOR_TIME');
  });
  test("ROOT_MINOR_ROOT_REFERENCE: a fork of R1 listing a header that references R1", async () => {
    // `fork` lists height 1 of every shard (they reference the root genesis); add 0x4's height 2 (references R1).
    const l = [...fork.minorHeaders];
    l.splice(1, 0, s4h2);
    const rb = editRoot(fork, net.cfg, { minorHeaders: l });
    await reject(rb, 'ROOT_MINOR_ROOT_REFERENCE');
    assert.equal((await net.root.addBlock(fork, { nowSec: net.now })).known, false, 'the fork itself is valid');
  });
  test('ROOT_TOO_MANY_HEADERS: a third committed 0x6 header over the cap of 2', () => {
    const l = list();
    l.splice(5, 0, s6h4); // after 0x6 height 3
    return reject(edit({ minorHeaders: l }), 'ROOT_TOO_MANY_HEADERS');
  });
  test('ROOT_MINOR_DISCONTINUOUS: 0x4 starts at height 3, skipping the unconfirmed height 2', () => reject(edit({ minorHeaders: list().slice(1) }), 'ROOT_MINOR_DISCONTINUOUS'));
  test('ROOT_BAD_COINBASE_AMOUNT', () => reject(edit({ header: { coinbaseAmount: valid.header.coinbaseAmount - 1n } }), 'ROOT_BAD_COINBASE_AMOUNT'));

  test('order: header rules, then seal, then the coinbase address, the list, the coinbase amount', async () => {
    const l = list();
    const swapped = [l[2]!, l[0]!, l[1]!, ...l.slice(3)];
    const rows: { code: string; cls?: ErrorClass; e: RootEdit }[] = [
      { code: 'ROOT_BAD_VERSION', e: { header: { version: 2 } } },
      { code: 'ROOT_PARENT_UNKNOWN', cls: 'notYet', e: { header: { hashPrevBlock: h32(9) } } },
      { code: 'ROOT_BAD_HEIGHT', e: { header: { height: 7 } } },
      { code: 'ROOT_TIME_IN_FUTURE', cls: 'notYet', e: { header: { createTime: net.now + MAX_FUTURE_SECONDS + 1 } } },
      { code: 'ROOT_BAD_DIFFICULTY', e: { header: { difficulty: 5n } } },
      { code: 'ROOT_BAD_TOTAL_DIFFICULTY', e: { header: { totalDifficulty: 1n } } },
      { code: 'BAD_MIXHASH', e: { header: { mixhash: nonZero32() } } },
      { code: 'ROOT_BAD_COINBASE_ADDRESS', e: { header: { coinbase: { recipient: h32(11).subarray(0, 20), fullShardKey: 0x30000 } } } },
      { code: 'ROOT_BAD_MERKLE_ROOT', e: { header: { hashMerkleRoot: h32(10) } } },
      { code: 'ROOT_MINOR_ORDER', e: { minorHeaders: swapped } },
      { code: 'ROOT_BAD_COINBASE_AMOUNT', e: { header: { coinbaseAmount: 1n } } },
    ];
    for (let i = 0; i < rows.length; i++) {
      let e: RootEdit = {};
      for (const r of rows.slice(i)) e = { ...e, ...r.e, header: { ...e.header, ...r.e.header } };
      await reject(editRoot(valid, net.cfg, e), rows[i]!.code, rows[i]!.cls ?? 'invalid');
    }
  });

  test('the ROOT_MINOR_UNKNOWN block is accepted once the header is committed; the valid block too', async () => {
    const l = list();
    l[1] = u3.header;
    const rb = edit({ minorHeaders: l });
    await net.addShardBlock(S4, u3);
    const r = await net.root.addBlock(rb, { nowSec: net.now });
    assert.equal(r.known, false);
    const v = await net.root.addBlock(valid, { nowSec: net.now });
    assert.equal(v.known, false);
    assert.equal(net.root.tip.height, 2);
  });
});

// ---- seals at a real difficulty --------------------------------------------------------

describe('BAD_SEAL at a difficulty where most nonces fail', () => {
  test('a minor block and a root block with a failing nonce are rejected; the right nonce is accepted', async () => {
    const net = await LocalNet.open(testConfig({ shardDifficulty: 256n, rootDifficulty: 256n }));
    try {
      await net.mineShard(S4);
      net.now += 1;
      const valid = sealMinor(await net.chain(S4).createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      assert.ok(valid.header.difficulty > 200n);
      const h = valid.header;
      const badNonce = findNonce(net.cfg.chains[0]!.consensus.algo, minorSealHash(h), h.difficulty, h.height, h.mixhash, false, h.nonce + 1n);
      await rejectMinor(net, S4, editMinor(valid, net.cfg, { header: { nonce: badNonce }, noReseal: true }), 'BAD_SEAL', 'invalid');
      assert.equal((await net.addShardBlock(S4, valid)).isTip, true);

      net.now += 1;
      const rb = sealRoot(net.root.createBlockToMine(net.now, net.coinbase(S4)), net.cfg);
      const rh = rb.header;
      const badRoot = findNonce(net.cfg.root.algo, rootSealHash(rh), rh.difficulty, rh.height, rh.mixhash, false, rh.nonce + 1n);
      await rejectRoot(net, editRoot(rb, net.cfg, { header: { nonce: badRoot }, noReseal: true }), 'BAD_SEAL', 'invalid');
      assert.equal((await net.root.addBlock(rb, { nowSec: net.now })).newTip, true);
    } finally {
      await net.close();
    }
  });
});
