/**
 * A shard's side of P2P over a LocalNet chain: the fast path's header check of an announced
 * block (known, unknown parent or root block, a bad seal, a good one), serving canonical
 * headers, and relayed transfers admitted in a batch with the relay outbox.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKeyOf } from '../../../src/core/branch.js';
import { ChainError } from '../../../src/core/errors.js';
import { decodeMinorHeader, encodeMinorBlock, minorHeaderHash, minorSealHash, type MinorBlock } from '../../../src/core/minorBlock.js';
import { encodeTx } from '../../../src/core/transaction.js';
import { ShardNetwork } from '../../../src/shard/shardNetwork.js';
import { findNonce, minorAlgo } from '../../utils/blockEdit.js';
import { LocalNet, sealMinor, testConfig } from '../../utils/localNet.js';

/** ~1 in 1000 nonces seals, so a wrong nonce almost surely fails. */
const DIFFICULTY = 1000n;
const serial = <T>(fn: () => Promise<T>): Promise<T> => fn();
const rejectsWith = (fn: () => unknown, code: string, cls: string): void =>
  assert.throws(fn, (e: unknown) => e instanceof ChainError && e.code === code && e.cls === cls);

async function withNet(fn: (net: LocalNet, S: number) => Promise<void>): Promise<void> {
  const net = await LocalNet.open(testConfig({ shards: 2, shardDifficulty: DIFFICULTY }));
  try {
    await fn(net, net.ids[0]!);
  } finally {
    await net.close();
  }
}

test('checkNewBlock: known, unknown parent, unknown root block, a bad seal, a good block', async () => {
  await withNet(async (net, S) => {
    const chain = net.chain(S);
    const shard = new ShardNetwork(chain, serial, () => undefined);
    const b1 = (await net.mineShard(S)).block;
    assert.deepEqual(shard.checkNewBlock(encodeMinorBlock(b1)), { known: true });
    net.now += 1;
    const b2 = sealMinor(await chain.createBlockToMine(net.now, net.coinbase(S)), net.cfg);
    assert.deepEqual(shard.checkNewBlock(encodeMinorBlock(b2)), { known: false });
    const orphan: MinorBlock = { ...b2, header: { ...b2.header, hashPrevMinorBlock: new Uint8Array(32).fill(5) } };
    rejectsWith(() => shard.checkNewBlock(encodeMinorBlock(orphan)), 'BLOCK_PARENT_UNKNOWN', 'notYet');
    const rootless = sealMinor({ ...b2, header: { ...b2.header, hashPrevRootBlock: new Uint8Array(32).fill(6) } }, net.cfg);
    rejectsWith(() => shard.checkNewBlock(encodeMinorBlock(rootless)), 'BLOCK_ROOT_UNKNOWN', 'notYet');
    const h = b2.header;
    const badNonce = findNonce(minorAlgo(net.cfg, S), minorSealHash(h), h.difficulty, h.height, h.mixhash, false);
    rejectsWith(() => shard.checkNewBlock(encodeMinorBlock({ ...b2, header: { ...h, nonce: badNonce } })), 'BAD_SEAL', 'invalid');
  });
});

test('shardHeaders: from a hash or a height, either way, with skips; nothing from a non-canonical or unknown origin', async () => {
  await withNet(async (net, S) => {
    const shard = new ShardNetwork(net.chain(S), serial, () => undefined);
    const blocks: MinorBlock[] = [];
    for (let i = 0; i < 6; i++) blocks.push((await net.mineShard(S)).block);
    const heights = (q: Parameters<ShardNetwork['shardHeaders']>[0]): number[] => shard.shardHeaders(q).headers.map((b) => decodeMinorHeader(b).height);
    assert.deepEqual(heights({ hash: minorHeaderHash(blocks[5]!.header), limit: 3, skip: 0, toTip: false }), [6, 5, 4]);
    assert.deepEqual(heights({ height: 1, limit: 10, skip: 1, toTip: true }), [1, 3, 5]);
    assert.deepEqual(heights({ height: 2, limit: 10, skip: 0, toTip: false }), [2, 1, 0]);
    assert.deepEqual(heights({ hash: new Uint8Array(32).fill(1), limit: 5, skip: 0, toTip: false }), []);
    assert.equal(decodeMinorHeader(shard.shardHeaders({ height: 0, limit: 1, skip: 0, toTip: true }).tip).height, 6);
  });
});

test('addTxs: accepted indices; duplicates and stale nonces are not the relayer\'s fault, a bad network id is; only other paths fill the outbox', async () => {
  await withNet(async (net, S) => {
    const chain = net.chain(S);
    let nudges = 0;
    const shard = new ShardNetwork(chain, serial, () => { nudges++; });
    shard.relay = true;
    const to = { recipient: net.devs[2]!.recipient, fullShardKey: defaultKeyOf(S) };
    const t0 = encodeTx(net.sign(1, S, to, 5n, 0));
    const t1 = encodeTx(net.sign(1, S, to, 5n, 1));
    const wrongNet = encodeTx(net.sign(3, S, to, 5n, 0, { networkId: net.cfg.networkId + 1 }));
    const r = await shard.addTxs([t0, t1, t0, wrongNet]);
    assert.deepEqual(r, { accepted: [0, 1], invalid: 1 });
    assert.equal(shard.hasOutbox, false, 'relayed transfers are not echoed through the outbox');
    await chain.addTx(net.sign(4, S, to, 5n, 0));
    assert.equal(nudges, 1);
    assert.equal(shard.takeOutbox().length, 1);
    shard.relay = false;
    await chain.addTx(net.sign(5, S, to, 5n, 0));
    assert.equal(shard.hasOutbox, false, 'relay off: nothing kept');
  });
});
