/**
 * A shard worker keeps consuming its cross-shard rings between tasks (piscina `atomics:
 * 'disabled'`): a list sent while the worker runs no task is stored and acked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allShardIds, configToJson, defaultConfig } from '../../src/core/config.js';
import { encodeDepositList } from '../../src/core/deposit.js';
import { createXshardLinks, XshardEndpoint } from '../../src/channel/xshardChannel.js';
import { WorkerShard } from '../../src/shard/workerShard.js';
import type { ChainError } from '../../src/core/errors.js';

test('worker shard: consumes its ring between tasks', { timeout: 30_000 }, async () => {
  const cfg = defaultConfig({ shards: 2, algo: 'simulate' });
  const ids = allShardIds(cfg);
  const links = createXshardLinks(2, cfg.ringBytes);
  const fatal: ChainError[] = [];
  const shard = new WorkerShard({
    configJson: configToJson(cfg), shardId: ids[1]!, dir: null, links: links[1]!, shardIds: ids,
    workGen: new SharedArrayBuffer(4), kernel: 'js',
  }, (e) => fatal.push(e));
  // Shard 0's end lives in this thread.
  const here = new XshardEndpoint(links[0]!, { onMessage: async () => undefined });
  here.start();
  try {
    await shard.status(); // the worker is up; from here on it runs no task
    const sender = here.sender(1);
    for (let i = 0; i < 20; i++) {
      const hash = new Uint8Array(32).fill(i + 1);
      const seq = await sender.send({ sourceHash: hash, payload: encodeDepositList([]) });
      await sender.waitAcked(seq);
    }
    assert.equal(sender.acked(), 20, 'every list was stored and acked while the worker was idle');
    assert.deepEqual(fatal, []);
  } finally {
    here.stop();
    await shard.close();
  }
});
