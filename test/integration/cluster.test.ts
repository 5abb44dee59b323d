/**
 * The cluster runtime with real Piscina workers and real LevelDB (issue 3): 4 shards mine root
 * blocks with signed cross-shard transfers flowing; conservation holds at every root block;
 * stop and restart continues from disk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/core/config.js';
import { rootHeaderHash } from '../../src/core/rootBlock.js';
import { Coordinator } from '../../src/cluster/coordinator.js';
import type { Conservation } from '../../src/consensus/conservation.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test('cluster: 4 shard workers and the root mine with cross-shard traffic; conservation; restart', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shardminer-cluster-'));
  const cfg = { ...defaultConfig({ shards: 4, algo: 'doublesha256', rootDifficulty: 64n, shardDifficulty: 64n }) };
  try {
    const node = await Coordinator.start({ config: cfg, datadir: dir, log: () => undefined });
    const checks: Promise<Conservation>[] = [];
    node.events.on('rootTip', (rb) => { checks.push(node.conservation(rootHeaderHash(rb.header))); });
    let applied = 0;
    let txs = 0;
    node.events.on('block', (_s, ev) => { applied += ev.appliedDeposits; txs += ev.txCount; });
    await node.setMining(true, 40);
    await until(async () => node.root.tip.height >= 4 && applied > 0, 90_000, 'root height 4 with applied deposits');
    await node.setMining(false);
    const results = await Promise.all(checks);
    assert.ok(results.length >= 4);
    for (const c of results) assert.ok(c.ok, `conservation: ${c.balances} + ${c.inFlight} ≠ ${c.expected}`);
    assert.ok(txs > 0, 'transfers were confirmed');
    const before = await node.status();
    await node.stop();

    const again = await Coordinator.start({ config: cfg, datadir: dir, log: () => undefined });
    try {
      const after = await again.status();
      assert.equal(after.root.height, before.root.height, 'the root tip is recovered');
      for (const [i, s] of after.shards.entries()) assert.ok(s.tip.height >= before.shards[i]!.tip.height, `shard ${s.shardId} did not go backwards`);
      assert.ok((await again.conservation()).ok);
      await again.setMining(true, 0);
      await until(async () => again.root.tip.height > before.root.height, 60_000, 'the chain to continue after restart');
      await again.setMining(false);
      assert.ok((await again.conservation()).ok);
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
