/**
 * Remote mining end to end (issue 5): `mine --remote --mem` on port 0 seals nothing itself;
 * `shardminer miner` (another process) grows the root and every shard over getWork/submitWork.
 * Meanwhile a stale submit and a wrong nonce return false, `stats` prints QuarkChain's
 * columns, and both processes stop with exit code 0 on SIGINT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, stderrLineAfter, type Proc } from '../utils/cliProcess.js';
import { RpcClient } from '../../src/rpc/client.js';
import { mineOne, solve, submit, until, work, type Work } from '../integration/rpcHarness.js';

/** Low genesis difficulties (the minimum becomes 1/16 of them): blocks come as fast as timestamps allow. */
/** The node's --coinbase (an address) and the miner's (a recipient): getWork without a coinbase pays the node's. */
const NODE_COINBASE = '0x' + '77'.repeat(20) + '00000001';
const MINER_COINBASE = '0x' + '66'.repeat(20);
const NODE_FLAGS = ['mine', '--remote', '--coinbase', NODE_COINBASE, '--mem', '--rpc-port', '0', '--rpc-private-port', '0', '--no-p2p', '--root-difficulty', '2000', '--shard-difficulty', '2000', '--shards', '2', '--interval', '1', '--json'];
const HEIGHT = 3;
/** A coinbase the miner does not use, so the test's own work items are separate blocks. */
const OTHER_COINBASE = '0x' + '99'.repeat(20);

const run = runCli;
const urlFrom = (p: Proc, prefix: string): Promise<string> => stderrLineAfter(p, prefix, 30_000);

test('e2e: a --remote node is mined only by `shardminer miner`; stale and wrong-nonce submits are false', { timeout: 90_000 }, async () => {
  const node = run(NODE_FLAGS);
  let miner: Proc | null = null;
  try {
    const url = await urlFrom(node, 'rpc: listening on ');
    const privUrl = await urlFrom(node, 'rpc: private listening on ');
    const pub = new RpcClient(url);
    const priv = new RpcClient(privUrl);
    miner = run(['miner', '--rpc', url, '--threads', '1', '--json', '--coinbase', MINER_COINBASE]);

    type Stats = { rootHeight: number; shards: { height: number }[] };
    await until(async () => {
      const s = (await priv.call('getStats')) as Stats;
      return s.rootHeight >= HEIGHT && s.shards.every((x) => x.height >= HEIGHT);
    }, `root and every shard at height ${HEIGHT}`, 60_000);
    type Share = { type: string; chain: string; accepted: boolean; shares: { accepted: number; rejected: number } };
    const shares = miner.out.map((l) => JSON.parse(l) as Share).filter((r) => r.type === 'share');
    for (const chain of ['root', '0x2', '0x3']) {
      assert.ok(shares.some((r) => r.chain === chain && r.accepted), `the miner reports accepted blocks of ${chain} (full shard ids): ${miner.out.join('\n')}`);
    }
    assert.ok(shares.every((r, i) => i === 0 || r.shares.accepted + r.shares.rejected > shares[i - 1]!.shares.accepted + shares[i - 1]!.shares.rejected), 'running totals');
    type Block = { miner: string };
    const first = (await pub.call('getMinorBlockByHeight', ['0x1', '0x1'])) as Block;
    assert.equal(first.miner, MINER_COINBASE + '00000001', "the miner's --coinbase, with the shard's key");
    // Work asked without a coinbase pays the node's --coinbase.
    const own = await until(async () => {
      const { w, ok } = await mineOne(pub, '0x1');
      return ok ? w : null;
    }, 'a block of our own on shard 0x3', 30_000);
    const ours = (await pub.call('getMinorBlockByHeight', ['0x1', own[1]])) as Block;
    assert.equal(ours.miner, NODE_COINBASE, "the node's --coinbase");
    assert.ok(node.err.includes(`rewards: ${NODE_COINBASE}`), 'the banner says where rewards go');
    const statusLines = node.out.map((l) => JSON.parse(l) as { root: { hashrate10s: number }; shards: { hashrate10s: number }[] });
    assert.ok(statusLines.every((l) => l.root.hashrate10s === 0 && l.shards.every((s) => s.hashrate10s === 0)), 'the node sealed nothing itself');

    // Stale: work issued on a parent that the miner has since built on.
    const stale: Work = await work(pub, '0x0', OTHER_COINBASE);
    const nonce = solve(stale);
    await until(async () => Number(((await pub.call('getMinorBlockByHeight', ['0x0'])) as { height: string }).height) >= Number(stale[1]), 'the miner to move shard 0x2 on');
    assert.equal(await submit(pub, '0x0', stale, nonce), false, 'a stale submit is false');
    // Wrong nonce.
    const w = await work(pub, '0x1', OTHER_COINBASE);
    assert.equal(await submit(pub, '0x1', w, solve(w, false)), false, 'a wrong nonce is false');

    const stats = run(['stats', '--rpc', privUrl, '--count', '1']);
    assert.equal(await stats.exit, 0);
    assert.ok(stats.out.some((l) => /Timestamp\s+Syncing\s+TPS\s+Pend\.TX\s+Conf\.TX\s+BPS\s+SBPS\s+CPU\s+ROOT\s+CHAIN\/SHARD-HEIGHT/.test(l)), stats.out.join('\n'));
    assert.ok(stats.out.some((l) => / 0\/0-\d+ 0\/1-\d+$/.test(l)), 'a row with c/s-h per shard');

    miner.child.kill('SIGINT');
    assert.equal(await miner.exit, 0, 'the miner exits 0 on SIGINT');
    assert.ok(miner.err.some((l) => l.startsWith('miner: stopped; accepted ')));
    assert.ok(miner.err.includes(`miner: rewards go to recipient ${MINER_COINBASE} on every shard (--coinbase)`), miner.err.join('\n'));
    node.child.kill('SIGINT');
    assert.equal(await node.exit, 0, 'the node exits 0 on SIGINT');
  } finally {
    for (const p of [miner, node]) if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
});
