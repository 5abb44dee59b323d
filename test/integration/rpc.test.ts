/**
 * JSON-RPC methods against a real server on 127.0.0.1 (port 0) and an in-process node mined only
 * through getWork/submitWork: success shapes with QuarkChain's field names, and the error cases
 * (bad hex, wrong lengths, unknown shard). Remote mining: stale, unknown and wrong-nonce submits
 * return false; accepted blocks go through the normal path (root confirms them, deposits apply).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addressToHex } from '../../src/core/address.js';
import { toHex } from '../../src/core/bytes.js';
import { encodeTx, txHash } from '../../src/core/transaction.js';
import { devAccounts } from '../../src/consensus/genesis.js';
import { signTx } from '../../src/crypto/keys.js';
import { RpcError } from '../../src/rpc/errors.js';
import { ISSUED_WORK_CAP } from '../../src/cluster/work.js';
import { mineOne, solve, startNode, submit, until, work, type Harness } from './rpcHarness.js';

const MINOR_FIELDS = ['id', 'height', 'hash', 'fullShardId', 'chainId', 'shardId', 'hashPrevMinorBlock', 'hashPrevRootBlock', 'nonce', 'miner',
  'coinbase', 'difficulty', 'gasLimit', 'timestamp', 'hashMerkleRoot', 'gasUsed', 'transactions', 'sealHash', 'mixhash'];
const ROOT_FIELDS = ['id', 'height', 'hash', 'sealHash', 'hashPrevBlock', 'nonce', 'hashMerkleRoot', 'miner', 'coinbase', 'difficulty', 'timestamp',
  'minorBlockHeaders', 'mixhash'];
const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]*)$/;
const hexData = (bytes: number): RegExp => new RegExp(`^0x[0-9a-f]{${bytes * 2}}$`);
type Obj = Record<string, unknown>;

let h: Harness;
const call = (method: string, params: unknown = []): Promise<unknown> => h.pub.call(method, params as unknown[]);
async function code(method: string, params: unknown): Promise<number> {
  try {
    await call(method, params);
  } catch (e) {
    if (e instanceof RpcError) return e.code;
    throw e;
  }
  return 0;
}

describe('rpc methods', { timeout: 90_000 }, () => {
  before(async () => { h = await startNode(); });
  after(async () => { await h.close(); });

  test('networkInfo and getMiningConfig', async () => {
    assert.deepEqual(await call('networkInfo'), { networkId: '0x3', chainSize: '0x1', shardSizes: ['0x2'], syncing: false, mining: true, shardServerCount: 2 });
    const m = (await call('getMiningConfig')) as Obj;
    assert.deepEqual(m.root, { algo: 'doublesha256', targetBlockTime: 10 });
    assert.equal((m.shards as Obj[]).length, 2);
    assert.equal(await code('networkInfo', [1]), -32602);
  });

  test('getWork: [sealHash, height, difficulty] for root and shards; any key of a shard; null for no shard; −32602 for a bad key', async () => {
    for (const key of [null, '0x0', '0x1']) {
      const w = (await work(h.pub, key)) as unknown[];
      assert.equal(w.length, 3);
      assert.match(w[0] as string, hexData(32));
      assert.equal(w[1], '0x1');
      assert.match(w[2] as string, QUANTITY);
    }
    assert.deepEqual(await work(h.pub, '0x2'), await work(h.pub, '0x0'), 'key 0x2 maps to the same shard as 0x0 (work is cached)');
    const other = await work(h.pub, '0x0', '0x' + '77'.repeat(20));
    assert.notEqual(other[0], (await work(h.pub, '0x0'))[0], 'another coinbase is another block');
    assert.equal(await call('getWork', ['0x10000']), null, 'chain 1 does not exist');
    for (const bad of [['R'], [5], ['0x'], ['0xzz'], ['0x100000000'], ['0x0', '0x1234'], ['0x0', '0x' + '00'.repeat(21)]]) {
      assert.equal(await code('getWork', bad), -32602, JSON.stringify(bad));
    }
  });

  test('submitWork: unknown, wrong nonce and stale are false; a valid seal is true once and the block is added', async () => {
    const z = '0x' + '00'.repeat(32);
    assert.equal(await call('submitWork', ['0x0', '0x' + '12'.repeat(32), '0x1', z]), false, 'unknown seal hash');
    const w = await work(h.pub, '0x0');
    assert.equal(await submit(h.pub, '0x0', w, solve(w, false)), false, 'wrong nonce');
    assert.equal(await call('submitWork', ['0x10000', w[0], '0x1', z]), false, 'no such shard');
    assert.equal(await call('submitWork', ['0x1', w[0], '0x' + solve(w).toString(16), z]), false, 'work of another shard');
    const cb = '0x' + '42'.repeat(20);
    const stale = await work(h.pub, '0x0', cb);
    const staleNonce = solve(stale);
    assert.equal(await submit(h.pub, '0x0', w, solve(w)), true, 'valid seal');
    assert.equal(await submit(h.pub, '0x0', w, solve(w)), false, 'the same work twice');
    assert.equal(await submit(h.pub, '0x0', stale, staleNonce), false, 'stale: its parent is no longer the tip');
    const b = (await call('getMinorBlockByHeight', ['0x0'])) as Obj;
    assert.equal(b.height, w[1]);
    assert.equal(b.sealHash, w[0]);
    for (const bad of [['0x0', '0x12', '0x1', z], ['0x0', w[0], '0x10000000000000000', z], ['0x0', w[0], '0x1'], ['0x0', w[0], '0x1', '0x00'], ['0x0', w[0], 1, z]]) {
      assert.equal(await code('submitWork', bad), -32602, JSON.stringify(bad));
    }
    const before = ((await call('getRootBlockByHeight')) as Obj).height as string;
    const r = await mineOne(h.pub, null);
    assert.equal(r.ok, true, 'root work accepted');
    assert.equal(Number(((await call('getRootBlockByHeight')) as Obj).height), Number(before) + 1);
  });

  test('submitWork: issued work is remembered in an LRU of 128; the oldest is forgotten', async () => {
    const cb = (i: number): string => '0x' + i.toString(16).padStart(40, '0');
    const first = await work(h.pub, '0x1', cb(1));
    const issued = [first];
    for (let i = 2; i <= ISSUED_WORK_CAP + 1; i++) issued.push(await work(h.pub, '0x1', cb(i)));
    assert.equal(new Set(issued.map((w) => w[0])).size, ISSUED_WORK_CAP + 1, 'one item per coinbase');
    assert.equal(await submit(h.pub, '0x1', first, solve(first)), false, 'evicted');
    const last = issued[issued.length - 1]!;
    assert.equal(await submit(h.pub, '0x1', last, solve(last)), true, 'still remembered');
  });

  test('blocks: by height (genesis at 0, tip without height) and by id, QuarkChain field names; errors', async () => {
    const g = (await call('getMinorBlockByHeight', ['0x1', '0x0'])) as Obj;
    for (const f of MINOR_FIELDS) assert.ok(f in g, `minor block field ${f}`);
    assert.equal(g.height, '0x0');
    assert.equal(g.fullShardId, '0x3');
    assert.equal(g.shardId, '0x1');
    assert.match(g.miner as string, hexData(24));
    assert.deepEqual(g.coinbase, [{ tokenId: '0x8bb0', tokenStr: 'QKC', balance: '0x0' }]);
    const tip = (await call('getMinorBlockByHeight', ['0x0'])) as Obj;
    assert.deepEqual(await call('getMinorBlockById', [tip.id]), tip);
    assert.equal(await call('getMinorBlockByHeight', ['0x0', '0x999']), null);
    assert.equal(await call('getMinorBlockById', ['0x' + '00'.repeat(32) + '00000002']), null);
    assert.equal(await code('getMinorBlockByHeight', ['0x10000']), -32602, 'unknown shard');
    assert.equal(await code('getMinorBlockByHeight', []), -32602);
    assert.equal(await code('getMinorBlockById', ['0x' + '00'.repeat(32)]), -32602, 'an id is 36 bytes');
    const rg = (await call('getRootBlockByHeight', ['0x0'])) as Obj;
    for (const f of ROOT_FIELDS) assert.ok(f in rg, `root block field ${f}`);
    assert.equal(rg.height, '0x0');
    const rt = (await call('getRootBlockByHeight')) as Obj;
    assert.deepEqual(await call('getRootBlockById', [rt.hash]), rt);
    assert.equal(await call('getRootBlockById', ['0x' + '00'.repeat(32)]), null);
    assert.equal(await call('getRootBlockByHeight', ['0xffff']), null);
    assert.equal(await code('getRootBlockById', ['0x1234']), -32602);
    assert.equal(await code('getRootBlockByHeight', ['height']), -32602);
  });

  test("QuarkChain's helpers: getAccountData by position and by name, gasPrice, estimateGas, getFullShardIdByFullShardKey", async () => {
    const [, , , , e] = devAccounts(h.cfg);
    const addr = addressToHex({ recipient: e!.recipient, fullShardKey: 1 });
    const one = (await call('getAccountData', [addr])) as Obj;
    const primary = one.primary as Obj;
    assert.equal(primary.fullShardId, '0x3');
    assert.equal(primary.transactionCount, '0x0');
    assert.equal(BigInt(((primary.balances as Obj[])[0]!).balance as string), h.cfg.devBalance);
    // As QuarkChain's `stats -a` sends it: params by name.
    const all = (await h.pub.call('getAccountData', { address: addr, include_shards: true } as unknown as unknown[])) as Obj;
    assert.deepEqual((all.shards as Obj[]).map((x) => x.fullShardId), ['0x2', '0x3']);
    assert.deepEqual(all.primary, (all.shards as Obj[])[1]);
    assert.equal(await call('getAccountData', [addr, '0x0', true]), null, 'a height with every shard is not answered, as QuarkChain');
    assert.equal(await code('getAccountData', { address: addr, colour: 'red' }), -32602);
    assert.equal(await call('gasPrice', ['0x0']), '0x' + h.cfg.minGasPrice.toString(16));
    const to0 = addressToHex({ recipient: e!.recipient, fullShardKey: 0 });
    assert.equal(await call('estimateGas', [{ from: addr, to: addr }]), '0x5208', '21,000 within a shard');
    assert.equal(await call('estimateGas', [{ from: addr, to: to0 }]), '0x7530', '30,000 across shards');
    assert.equal(await call('getFullShardIdByFullShardKey', ['0x1']), '0x3');
    assert.equal(await code('getFullShardIdByFullShardKey', ['0x10000']), -32602);
  });

  test('transactions: send raw and object forms, look up, receipts; a cross-shard one reports its deposit', async () => {
    // Dev account 0 is the default coinbase: its balance moves with every block. Use 2 and 3.
    const [, , a, b] = devAccounts(h.cfg);
    const from = addressToHex({ recipient: a!.recipient, fullShardKey: 0 });
    const bal = (await call('getBalances', [from])) as Obj;
    assert.deepEqual(Object.keys(bal).sort(), ['balances', 'branch', 'chainId', 'fullShardId', 'shardId']);
    assert.equal(bal.fullShardId, '0x2');
    const start = BigInt(((bal.balances as Obj[])[0]!).balance as string);
    assert.equal(start, h.cfg.devBalance);
    assert.equal(await call('getTransactionCount', [from]), '0x0');
    const nonce = Number(await call('getTransactionCount', [from]));
    const tx = signTx({ nonce, gasPrice: 1_000_000_000n, gasLimit: 21_000, to: { recipient: b!.recipient, fullShardKey: 0 }, value: 5n, networkId: 3, fromFullShardKey: 0 }, a!.privateKey);
    const raw = toHex(encodeTx(tx));
    const id = (await call('sendRawTransaction', [raw])) as string;
    assert.match(id, hexData(36));
    assert.ok(id.endsWith('00000000'), 'tx id = hash + the sender key');
    assert.equal(await code('sendRawTransaction', [raw]), -32000, 'a duplicate is rejected by the pool');
    const pending = (await call('getTransactionById', [id])) as Obj;
    assert.equal(pending.blockId, null);
    assert.equal(pending.from, toHex(a!.recipient));
    assert.equal(await call('getTransactionReceipt', [id]), null, 'no receipt before inclusion');
    await until(async () => (await mineOne(h.pub, '0x0')).ok && ((await call('getTransactionReceipt', [id])) as Obj | null), 'the transfer to be mined');
    const rc = (await call('getTransactionReceipt', [id])) as Obj;
    assert.equal(rc.status, '0x1');
    assert.equal(rc.gasUsed, '0x5208');
    assert.equal(rc.transactionId, id);
    assert.equal(rc.xShardDeposit, null);
    const t = (await call('getTransactionById', [id])) as Obj;
    assert.equal(t.blockHeight, rc.blockHeight);
    assert.equal(t.value, '0x5');
    const blk = (await call('getMinorBlockById', [rc.blockId, true])) as Obj;
    assert.deepEqual((blk.transactions as Obj[])[Number(rc.transactionIndex)], t, 'full transactions in the block');
    assert.equal(await call('getTransactionCount', [from]), '0x1');

    // Cross-shard, QuarkChain's sendTransaction fields: 20-byte `to` plus toFullShardKey.
    const x = signTx({ nonce: 1, gasPrice: 1_000_000_000n, gasLimit: 30_000, to: { recipient: b!.recipient, fullShardKey: 1 }, value: 7n, networkId: 3, fromFullShardKey: 0 }, a!.privateKey);
    const xid = (await call('sendTransaction', [{
      nonce: '0x1', gasPrice: '0x3b9aca00', gas: '0x7530', to: toHex(b!.recipient), toFullShardKey: '0x00000001', value: '0x7',
      fromFullShardKey: '0x00000000', networkId: '0x3', v: '0x' + x.v.toString(16), r: toHex(x.r), s: toHex(x.s), data: '0x',
    }])) as string;
    assert.equal(xid, toHex(txHash(x)) + '00000000');
    const to1 = addressToHex({ recipient: b!.recipient, fullShardKey: 1 });
    const before1 = BigInt((((await call('getBalances', [to1])) as Obj).balances as Obj[])[0]!.balance as string);
    const incl = await until(async () => { await mineOne(h.pub, '0x0'); return (await call('getTransactionReceipt', [xid])) as Obj | null; }, 'the cross-shard transfer to be mined');
    assert.deepEqual(incl.xShardDeposit, { fullShardId: '0x3', applied: false, blockId: null, blockHeight: null, timestamp: null }, 'not applied before a root block confirms it');
    const dep = await until(async () => {
      const d = ((await call('getTransactionReceipt', [xid])) as Obj).xShardDeposit as Obj;
      if (d.applied === true) return d;
      await mineOne(h.pub, null);
      await mineOne(h.pub, '0x1');
      return null;
    }, 'the deposit to be applied', 40_000);
    assert.match(dep.blockId as string, /00000003$/);
    const after1 = BigInt((((await call('getBalances', [to1])) as Obj).balances as Obj[])[0]!.balance as string);
    assert.ok(after1 > before1 + 7n - 1n, 'the destination recipient was credited the value (and a refund)');
    assert.deepEqual((await call('getBalances', [from, '0x0']) as Obj).balances, [{ tokenId: '0x8bb0', tokenStr: 'QKC', balance: '0x' + start.toString(16) }], 'balance at genesis');
  });

  test('transactions and accounts: error cases', async () => {
    assert.equal(await code('sendRawTransaction', ['0x1234']), -32602, 'wrong length');
    assert.equal(await code('sendRawTransaction', ['0x' + 'zz'.repeat(177)]), -32602, 'bad hex');
    const [a, b] = devAccounts(h.cfg);
    const base = { nonce: 0, gasPrice: 1_000_000_000n, gasLimit: 21_000, to: { recipient: b!.recipient, fullShardKey: 0 }, value: 1n, networkId: 3 };
    assert.equal(await code('sendRawTransaction', [toHex(encodeTx(signTx({ ...base, fromFullShardKey: 0x50000 }, a!.privateKey)))]), -32602, 'unknown shard');
    assert.equal(await code('sendRawTransaction', [toHex(encodeTx({ ...signTx({ ...base, fromFullShardKey: 0 }, a!.privateKey), s: new Uint8Array(32).fill(0xff) }))]), -32000, 'bad signature');
    assert.equal(await code('sendTransaction', [{ nonce: '0x0', to: toHex(b!.recipient), v: '0x0', r: '0x1', s: '0x1' }]), -32602, 'fromFullShardKey is required');
    assert.equal(await code('sendTransaction', ['0x00']), -32602);
    assert.equal(await call('getTransactionReceipt', ['0x' + '11'.repeat(32) + '00000000']), null);
    assert.equal(await call('getTransactionById', ['0x' + '11'.repeat(32) + '00000000']), null);
    assert.equal(await code('getTransactionById', ['0x' + '11'.repeat(32) + '00050000']), -32602, 'unknown shard');
    assert.equal(await code('getBalances', ['0x' + '11'.repeat(20)]), -32602, 'an address is 24 bytes');
    assert.equal(await code('getBalances', ['0x' + '11'.repeat(20) + '00050000']), -32602, 'unknown shard');
    assert.equal(await code('getTransactionCount', ['0x' + '1'.repeat(47)]), -32602, 'odd-length hex');
    assert.equal(await call('getBalances', ['0x' + '11'.repeat(20) + '00000000', '0xffff']), null, 'no block at that height');
  });

  test('private methods: getStats fields, setMining, createTransactions (object, array, hex forms)', async () => {
    const s = (await h.priv.call('getStats')) as Obj;
    for (const f of ['networkId', 'chainSize', 'shardServerCount', 'rootHeight', 'rootDifficulty', 'rootCoinbaseAddress', 'rootTimestamp', 'rootLastBlockTime',
      'txCount60s', 'blockCount60s', 'staleBlockCount60s', 'pendingTxCount', 'totalTxCount', 'syncing', 'mining', 'shards', 'peers', 'peerScores', 'cpus', 'txCountHistory']) {
      assert.ok(f in s, `getStats field ${f}`);
    }
    const sh = (s.shards as Obj[])[0]!;
    for (const f of ['fullShardId', 'chainId', 'shardId', 'height', 'difficulty', 'coinbaseAddress', 'timestamp', 'txCount60s', 'pendingTxCount',
      'totalTxCount', 'blockCount60s', 'staleBlockCount60s', 'lastBlockTime', 'poswEnabled', 'queuedTxCount', 'mined']) {
      assert.ok(f in sh, `shard stats field ${f}`);
    }
    assert.deepEqual(Object.keys(s.txPoolLimits as Obj).sort(), ['accountPending', 'accountQueue', 'globalQueue', 'maxNonceGap', 'priceBumpPercent', 'queuedLifetimeSec', 'size']);
    assert.equal((s.txPoolLimits as Obj).accountQueue, 64, "go-ethereum's per-account queue");
    assert.ok((s.blockCount60s as number) >= 1 && typeof s.rootHeight === 'number' && (s.totalTxCount as number) >= 2);
    assert.equal(await h.pub.call('getStats').then(() => 'ok'), 'ok', 'the public server on a loopback address serves private methods too');
    assert.equal(await h.priv.call('setMining', [false]), null);
    assert.equal(await code('setMining', ['yes']), -32602);
    const pool0 = s.pendingTxCount as number;
    assert.equal(await h.priv.call('createTransactions', { numTxPerShard: 2, xShardPercent: 0 }), null);
    await until(async () => ((await h.priv.call('getStats')) as Obj).pendingTxCount as number >= pool0 + 4, 'created transactions in the pools');
    assert.equal(await h.priv.call('createTransactions', [{ numTxPerShard: '0x1', xShardPercent: '0x0' }]), null);
    assert.equal(await code('createTransactions', [{ numTxPerShard: -1, xShardPercent: 0 }]), -32602);
    assert.equal(await code('createTransactions', [{ numTxPerShard: 12_001, xShardPercent: 0 }]), -32602);
    assert.equal(await code('createTransactions', [{ numTxPerShard: 1, xShardPercent: 101 }]), -32602);
  });
});
