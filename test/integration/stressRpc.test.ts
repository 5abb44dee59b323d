/** `stress --rpc`: load through createTransactions; TPS from blocks and conservation over RPC. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/core/config.js';
import { Coordinator } from '../../src/cluster/coordinator.js';
import { RpcService } from '../../src/rpc/start.js';
import { runRpcStress } from '../../src/cli/stressRpc.js';

test('stress --rpc: drives a running node and reports blocks and conservation', { timeout: 90_000 }, async () => {
  const cfg = { ...defaultConfig({ shards: 2, algo: 'simulate' }) };
  const fast = { ...cfg, root: { ...cfg.root, targetBlockTime: 1 }, chains: cfg.chains.map((c) => ({ ...c, consensus: { ...c.consensus, targetBlockTime: 1 } })) };
  const node = await Coordinator.start({ config: fast, datadir: null, inProcess: true, log: () => undefined });
  const rpc = await RpcService.start(node, { host: '127.0.0.1', port: 0, privatePort: 0, exposePrivate: false, remote: false, txRate: 0, log: () => undefined });
  try {
    await node.setMining(true, 0);
    const r = await runRpcStress({ url: rpc.priv!.url, ratePerSecond: 20, xshardPercent: 50, durationSec: 4, drainTimeoutSec: 30 });
    assert.ok(r.requested > 0);
    assert.ok(r.txsInBlocks > 0, 'transfers reached blocks');
    assert.ok(r.conservation.ok, `conservation: ${r.conservation.balances} + ${r.conservation.inFlight} ≠ ${r.conservation.expected}`);
    assert.match(r.note, /built-in node/);
  } finally {
    await node.setMining(false);
    await rpc.close();
    await node.stop();
  }
});
