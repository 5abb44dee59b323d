/**
 * Transfers over shard P2P (DESIGN §10, p2p/relay/txRelay.ts wired by cluster/p2pShards.ts): real
 * Coordinators with real P2pNodes on 127.0.0.1, `simulate` sealing with 1 s blocks on 2 shards.
 * A transfer sent to a node that does not seal is relayed and mined by one that does; a
 * cross-shard one sent at the end of a line of three nodes has its deposit applied on all three;
 * and a peer flooding transfers is capped while the node (real shard workers) keeps mining.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Coordinator } from '../../src/cluster/coordinator.js';
import type { Bytes } from '../../src/core/bytes.js';
import { encodeTx, txHash } from '../../src/core/transaction.js';
import { MAX_RELAY_TXS } from '../../src/p2p/limits.js';
import { PEER_TX_BURST } from '../../src/p2p/relay/txRelay.js';
import { hex, miningConfig, Parts, sleep, transfer, until, type TestNode } from './p2pShardsHarness.js';

const TIMEOUT = { timeout: 180_000 };

const linked = async (n: TestNode, peers: number): Promise<void> => until(`${peers} peers`, () => n.p2p.peers().length === peers);

/** The canonical block holding transfer `hash` on `c`'s shard `id`, as hex, or undefined. */
async function minedIn(c: Coordinator, id: number, hash: Bytes): Promise<string | undefined> {
  const r = await c.shard(id).lookupTx(hash);
  return r.tx?.block ? hex(r.tx.block.hash) : undefined;
}

test('shard p2p: a transfer sent to a node that does not seal is relayed, mined by its peer, and its receipt is on both nodes', TIMEOUT, async () => {
  const cfg = miningConfig();
  const parts = new Parts();
  try {
    const miner = await parts.node(cfg);
    const quiet = await parts.node(cfg, { peers: [miner.p2p.url] });
    await linked(quiet, 1);
    const id = quiet.c.shardIds[1]!;
    const tx = transfer(cfg, 3, id, 4, id, 0);
    await quiet.c.shard(id).addTx(encodeTx(tx)); // what sendRawTransaction does
    await miner.c.setMining(true);
    await until('the transfer mined, and its block on both nodes', async () => {
      const [m, q] = [await minedIn(miner.c, id, txHash(tx)), await minedIn(quiet.c, id, txHash(tx))];
      return m !== undefined && m === q;
    });
    await miner.c.setMining(false);
    assert.equal((await quiet.c.status()).shards[1]!.blocksMined, 0, 'the quiet node sealed nothing');
    assert.ok(quiet.p2p.shards.txs.counters.relayed >= 1 && miner.p2p.shards.txs.counters.accepted >= 1);
  } finally {
    await parts.stop();
  }
});

test('shard p2p: a cross-shard transfer sent at the end of a line of three nodes has its deposit applied on all three', TIMEOUT, async () => {
  const cfg = miningConfig();
  const parts = new Parts();
  try {
    const a = await parts.node(cfg);
    const b = await parts.node(cfg, { peers: [a.p2p.url] });
    const c = await parts.node(cfg, { peers: [b.p2p.url] }); // c reaches a only through b
    await linked(b, 2);
    await linked(c, 1);
    const [from, to] = a.c.shardIds as [number, number];
    const tx = transfer(cfg, 5, from, 6, to, 0, 7_000n);
    await c.c.shard(from).addTx(encodeTx(tx));
    await a.c.setMining(true);
    const nodes = [a, b, c];
    await until('the deposit applied on every node, in the same block', async () => {
      const got = await Promise.all(nodes.map(async (n) => (await n.c.shard(to).lookupTx(txHash(tx))).deposit));
      return got.every((d) => d !== null && hex(d.blockHash) === hex(got[0]!.blockHash));
    });
    await a.c.setMining(false);
    const mined = await Promise.all(nodes.map((n) => minedIn(n.c, from, txHash(tx))));
    assert.ok(mined[0] !== undefined && mined.every((m) => m === mined[0]), 'the transfer is in the same source block on every node');
  } finally {
    await parts.stop();
  }
});

/** Distinct transfers the flooding peer sends (from six dev accounts). */
const FLOOD_DISTINCT = 1_200;
/** Each round sends them all again; rounds this far apart offer well over the peer's cap per second. */
const FLOOD_ROUND_MS = 100;

test('shard p2p: a transfer flood from one peer is capped while the node (real shard workers) keeps mining', TIMEOUT, async () => {
  const cfg = miningConfig();
  const parts = new Parts();
  let flooding = true;
  let flood: Promise<void> = Promise.resolve();
  try {
    const n = await parts.node(cfg, { inProcess: false });
    const peer = await parts.fake(cfg);
    await peer.connect(n);
    await linked(n, 1);
    const id = n.c.shardIds[0]!;
    const accounts = 6;
    const txs = Array.from({ length: FLOOD_DISTINCT }, (_, i) => encodeTx(transfer(cfg, 2 + (i % accounts), id, 1, id, Math.floor(i / accounts))));
    await n.c.setMining(true);
    await until('the first blocks', async () => (await n.c.status()).shards.every((s) => s.tip.height >= 1));

    flood = (async () => {
      while (flooding) {
        for (let i = 0; i < txs.length; i += MAX_RELAY_TXS) peer.send({ type: 'NEW_TRANSACTIONS', shardId: id, txs: txs.slice(i, i + MAX_RELAY_TXS) });
        await sleep(FLOOD_ROUND_MS);
      }
    })();
    const counters = n.p2p.shards.txs.counters;
    await until('the peer to be capped', () => counters.capped > 0 && counters.received > PEER_TX_BURST);
    const before = (await n.c.status()).shards.map((s) => s.tip.height);
    const rootBefore = n.c.rootTip().height;
    await until('every shard and the root to grow by two blocks under the flood', async () => {
      const now = (await n.c.status()).shards.map((s) => s.tip.height);
      return now.every((h, i) => h >= before[i]! + 2) && n.c.rootTip().height >= rootBefore + 2;
    });
    flooding = false;
    await flood;
    await n.c.setMining(false);
    assert.ok(counters.capped > 0, `capped ${counters.capped}`);
    assert.ok(counters.accepted > 0 && counters.accepted <= FLOOD_DISTINCT, `accepted ${counters.accepted}`);
    assert.equal(counters.invalid, 0);
    assert.ok(counters.duplicate > 0, 'copies of transfers already taken are dropped as duplicates');
    assert.equal(n.p2p.isBanned(peer.nodeId), false, 'valid transfers over the cap are dropped, not a ban');
    assert.ok((await n.c.status()).shards[0]!.txsConfirmed > 0, 'flooded transfers were mined');
  } finally {
    flooding = false;
    await flood;
    await parts.stop();
  }
});
