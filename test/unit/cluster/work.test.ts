/**
 * Remote-mining work by full shard id (shards in this thread, a fake clock for the work's age):
 * the same item within a second, a new one after it, none while the tip is ahead of the clock or
 * for a shard this node does not run; unknown or cross-chain submissions are false, never errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../src/core/config.js';
import { Coordinator } from '../../../src/cluster/coordinator.js';
import { ROOT_CHAIN, WORK_MAX_AGE_MS, WorkManager } from '../../../src/cluster/work.js';

test('WorkManager: work per full shard id and root, cached for less than a second, refused when it cannot be valid', async () => {
  const cfg = defaultConfig({ shards: 2, algo: 'doublesha256', rootDifficulty: 1000n, shardDifficulty: 1000n });
  const c = await Coordinator.start({ config: cfg, datadir: null, inProcess: true, log: () => undefined });
  try {
    let now = Date.now();
    const work = new WorkManager(c, () => now);
    const [s0, s1] = c.shardIds as [number, number];
    for (const chain of [s0, s1, ROOT_CHAIN]) {
      const w = await work.getWork(chain, null);
      assert.ok(w && w.height === 1, `work for ${chain}`);
      now += WORK_MAX_AGE_MS - 1;
      assert.equal(await work.getWork(chain, null), w, 'younger than a second: the same item');
      now += 1;
      const again = await work.getWork(chain, null);
      assert.ok(again && again !== w, 'one second old: rebuilt');
    }
    const other = await work.getWork(s0, new Uint8Array(20).fill(7));
    assert.notEqual(other, await work.getWork(s0, null), 'each coinbase has its own work');
    assert.equal(await work.getWork(0, null), null, 'no shard 0 here (an index is not a full shard id)');
    // The clock behind the tip's timestamp: no valid block can be built.
    const behind = new WorkManager(c, () => (c.rootTip().block.header.createTime - 5) * 1000);
    assert.equal(await behind.getWork(ROOT_CHAIN, null), null);
    const w = (await work.getWork(s1, null))!;
    assert.equal(await work.submitWork(s1, new Uint8Array(32), 0n, new Uint8Array(32)), false, 'unknown work');
    assert.equal(await work.submitWork(s0, w.sealHash, 0n, new Uint8Array(32)), false, 'work of another shard');
    assert.equal(await work.submitWork(ROOT_CHAIN, w.sealHash, 0n, new Uint8Array(32)), false, 'shard work submitted as root');
    assert.equal(work.rejected, 3);
  } finally {
    await c.stop();
  }
});
