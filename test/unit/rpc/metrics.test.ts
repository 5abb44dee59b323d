/**
 * The Prometheus metrics (issue 13): every documented name is registered with Prometheus
 * conventions (prefix, `_total` exactly on counters), values follow the node (heights, blocks
 * added, transfers, rings), RPC calls are counted by method and result code, and the README
 * lists every metric.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { defaultConfig } from '../../../src/core/config.js';
import { minorGenesis } from '../../../src/consensus/genesis.js';
import { Coordinator } from '../../../src/cluster/coordinator.js';
import { NodeMetrics, METRIC_NAMES } from '../../../src/rpc/dashboard/metrics.js';
import { StatusFeed } from '../../../src/rpc/dashboard/statusFeed.js';
import { XshardFlows } from '../../../src/rpc/dashboard/xshardFlows.js';
import type { RootBlock } from '../../../src/core/rootBlock.js';
import { minorHeaderHash as hashOf } from '../../../src/core/minorBlock.js';
import { methodTable } from '../../../src/rpc/methods/index.js';
import type { CallContext, RpcNode } from '../../../src/rpc/context.js';
import { until } from '../../integration/rpcHarness.js';

function value(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('metrics: names, types and values follow the node; RPC calls are counted by method and code', { timeout: 60_000 }, async () => {
  const cfg = defaultConfig({ shards: 2, algo: 'simulate' });
  const c = await Coordinator.start({ config: cfg, datadir: null, inProcess: true, log: () => undefined });
  const feed = new StatusFeed(c);
  const metrics = new NodeMetrics(c, feed, { defaultMetrics: false });
  try {
    await c.setMining(true, 10);
    await until(async () => c.rootTip().height >= 1 && (await c.status()).shards.every((s) => s.tip.height >= 2), 'root 1 and shards at 2', 40_000);
    await c.setMining(false);
    await feed.sample();
    const s = await c.status();
    const text = await metrics.text();
    for (const name of METRIC_NAMES) {
      assert.match(name, /^shardminer_[a-z_]+$/);
      const type = /_total$/.test(name) ? 'counter' : 'gauge';
      assert.match(text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'), `${name} is a ${type}`);
    }
    assert.equal(value(text, 'shardminer_chain_height', '{chain="root"}'), s.root.height);
    for (const sh of s.shards) {
      const id = `0x${sh.shardId.toString(16)}`;
      assert.equal(value(text, 'shardminer_chain_height', `{chain="${id}"}`), sh.tip.height);
      assert.equal(value(text, 'shardminer_transfers_confirmed_total', `{shard="${id}"}`), sh.txsConfirmed);
      assert.equal(value(text, 'shardminer_blocks_mined_total', `{chain="${id}"}`), sh.blocksMined);
      assert.ok(value(text, 'shardminer_blocks_added_total', `{chain="${id}"}`)! >= sh.tip.height, 'every block added counted');
      assert.equal(value(text, 'shardminer_pool_transactions', `{shard="${id}"}`), sh.poolSize);
    }
    assert.equal(value(text, 'shardminer_xshard_ring_capacity_bytes', '{from="0x2",to="0x3"}'), cfg.ringBytes);
    assert.equal(value(text, 'shardminer_peers', ''), 0);
    assert.equal(value(text, 'shardminer_syncing', ''), 0);

    const methods = metrics.instrument(methodTable());
    const ctx: CallContext = { node: { coordinator: c, feed } as unknown as RpcNode, privateAllowed: true, session: null };
    await methods.get('getPeers')!.handler([], ctx);
    await methods.get('getPeers')!.handler([], ctx);
    await assert.rejects(methods.get('getPeers')!.handler([1], ctx));
    const after = await metrics.text();
    assert.equal(value(after, 'shardminer_rpc_requests_total', '{method="getPeers",code="0"}'), 2);
    assert.equal(value(after, 'shardminer_rpc_requests_total', '{method="getPeers",code="-32602"}'), 1);
  } finally {
    metrics.close();
    feed.close();
    await c.stop();
  }
});

test('metrics: the README lists every metric', async () => {
  const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
  for (const name of METRIC_NAMES) assert.ok(readme.includes(`\`${name}\``), `README lists ${name}`);
});

test('xshard flows: deposits count in the root block that confirms their source block, over the last N root blocks', () => {
  const cfg = defaultConfig({ shards: 2, algo: 'simulate' });
  const h2 = minorGenesis(cfg, 2).block.header;
  const h3 = minorGenesis(cfg, 3).block.header;
  const f = new XshardFlows([2, 3], 2);
  f.addShardBlock(2, hashOf(h2), new Map([[3, 5]]));
  f.addShardBlock(3, hashOf(h3), new Map([[2, 1]]));
  assert.deepEqual(f.matrix(), [[0, 0], [0, 0]], 'nothing before a root block confirms them');
  f.addRootBlock({ minorHeaders: [h2] } as unknown as RootBlock);
  assert.deepEqual(f.matrix(), [[0, 5], [0, 0]]);
  f.addRootBlock({ minorHeaders: [h3] } as unknown as RootBlock);
  assert.deepEqual(f.matrix(), [[0, 5], [1, 0]]);
  f.addRootBlock({ minorHeaders: [] } as unknown as RootBlock);
  assert.deepEqual(f.matrix(), [[0, 0], [1, 0]], 'the oldest root block leaves the window');
  assert.equal(f.rootBlocks, 2);
});
