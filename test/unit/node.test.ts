/**
 * The composition root: a node with P2P and RPC on free ports, sealing; one stop closes P2P and
 * RPC, stops sealing, runs `finish` while the chain is still readable, then stops the coordinator;
 * a start that fails (P2P port in use) leaves nothing running; `withNode` always stops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/core/config.js';
import { ChainError } from '../../src/core/errors.js';
import { startNode, withNode, type ShardminerNode } from '../../src/node.js';

const cfg = defaultConfig({ shards: 2, algo: 'simulate' });
const coordinator = { config: cfg, datadir: null, inProcess: true, log: () => undefined };
const rpc = { host: '127.0.0.1', port: 0, privatePort: null, exposePrivate: false, remote: false, txRate: 0, log: () => undefined };

test('node: started with P2P and RPC; stop closes them, stops sealing, then finish, then the coordinator', { timeout: 30_000 }, async () => {
  const lines: string[] = [];
  const seen: string[] = [];
  let rpcUrl = '';
  const node = await startNode({
    coordinator, p2p: { port: 0 }, rpc, log: (l) => lines.push(l),
    finish: async (n) => {
      seen.push(`mining ${n.coordinator.isMining()}`);
      seen.push(`peers view ${JSON.stringify(n.coordinator.p2p.peers())} syncing ${n.coordinator.p2p.syncing()}`);
      await assert.rejects(fetch(rpcUrl, { method: 'POST', body: '{}' }), 'RPC closed before finish');
      seen.push(`root height ${(await n.coordinator.status()).root.height}`);
    },
  });
  assert.ok(node.p2p && node.rpc);
  assert.deepEqual(lines, [`p2p: listening on ${node.p2p.url}`]);
  rpcUrl = node.rpc.pub.url;
  const res = await fetch(node.rpc.pub.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'networkInfo', params: [] }) });
  assert.equal(res.status, 200);
  await node.coordinator.setMining(true);
  let stopping = false;
  void node.stopping.then(() => { stopping = true; });
  node.requestStop();
  node.requestStop();
  assert.equal(await node.stopped, null, 'a clean stop');
  assert.equal(stopping, true);
  assert.deepEqual(seen, ['mining false', 'peers view [] syncing false', 'root height 0']);
  assert.equal(await node.stop(), null, 'stop again: the same outcome');
});

test('node: a P2P port in use fails the start with its code and stops what was started', { timeout: 30_000 }, async () => {
  const first = await startNode({ coordinator, p2p: { port: 0 }, log: () => undefined });
  try {
    await assert.rejects(startNode({ coordinator, p2p: { port: first.p2p!.port }, log: () => undefined }), (e: unknown) => e instanceof ChainError && e.code === 'PORT_IN_USE');
  } finally {
    await first.stop();
  }
});

/** 'running' when `node` has not stopped within a second. */
const outcome = (node: ShardminerNode): Promise<ChainError | null | 'running'> =>
  Promise.race([node.stopped, new Promise<'running'>((r) => setTimeout(() => r('running'), 1000).unref())]);

test('withNode: returns what the job returns and stops the node, also when the job throws', { timeout: 30_000 }, async () => {
  let kept: ShardminerNode | null = null;
  assert.equal(await withNode({ coordinator }, async (n) => { kept = n; return n.coordinator.shardIds.length; }), 2);
  assert.equal(await outcome(kept!), null, 'stopped after the job');
  kept = null;
  await assert.rejects(withNode({ coordinator }, async (n) => { kept = n; throw new Error('job failed'); }), /job failed/);
  assert.equal(await outcome(kept!), null, 'stopped after the job failed');
});
