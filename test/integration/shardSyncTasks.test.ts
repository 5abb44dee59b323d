/**
 * The shard protocol's sync tasks, in-thread and in a real Piscina worker (the same async
 * interface): `addBlocksForSync` adds a list in order through the normal add path and stops at
 * the first refusal, returning the events before it and the refusal as a plain coded object;
 * `blocksByHash` serves stored blocks in request order and leaves unknown ones out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../../src/core/bytes.js';
import { allShardIds, configToJson } from '../../src/core/config.js';
import { decodeMinorBlock, decodeMinorHeader, encodeMinorBlock, minorBlockHash, minorHeaderHash, type MinorBlock } from '../../src/core/minorBlock.js';
import { encodeRootBlock, type RootBlock } from '../../src/core/rootBlock.js';
import { createXshardLinks } from '../../src/channel/xshardChannel.js';
import { InProcessShard } from '../../src/shard/inProcessShard.js';
import type { Shard, ShardInit } from '../../src/shard/protocol.js';
import { WorkerShard } from '../../src/shard/workerShard.js';
import { LocalNet, sealMinor, testConfig } from '../utils/localNet.js';

/** One shard: no cross-shard lists to feed, so the shard under test needs nothing but blocks and root blocks. */
const cfg = testConfig({ shards: 1 });

async function chain(): Promise<{ blocks: MinorBlock[]; roots: RootBlock[] }> {
  const net = await LocalNet.open(cfg);
  try {
    const blocks: MinorBlock[] = [];
    const roots: RootBlock[] = [];
    for (let i = 0; i < 3; i++) {
      blocks.push((await net.mineShard(net.ids[0]!)).block);
      roots.push(await net.mineRoot());
    }
    return { blocks, roots };
  } finally {
    await net.close();
  }
}

function init(): ShardInit {
  const id = allShardIds(cfg)[0]!;
  return { configJson: configToJson(cfg), shardId: id, dir: null, links: createXshardLinks(1, cfg.ringBytes)[0]!, shardIds: [id], workGen: new SharedArrayBuffer(4), kernel: 'js' };
}

const hex = toHex;

async function exercise(shard: Shard, blocks: MinorBlock[], roots: RootBlock[]): Promise<void> {
  const [b1, b2, b3] = blocks as [MinorBlock, MinorBlock, MinorBlock];
  const first = await shard.addBlocksForSync([encodeMinorBlock(b1)]);
  assert.equal(first.error, null);
  assert.equal(first.events.length, 1);
  assert.equal(hex(minorHeaderHash(decodeMinorHeader(first.events[0]!.header))), hex(minorBlockHash(b1)));
  assert.equal(first.events[0]!.isTip, true);
  await shard.addRootBlock(encodeRootBlock(roots[0]!));

  // b3 with a wrong difficulty (resealed, so only the difficulty rule can refuse it) stops the list.
  const bad = sealMinor({ ...b3, header: { ...b3.header, difficulty: b3.header.difficulty + 1n } }, cfg);
  const stopped = await shard.addBlocksForSync([encodeMinorBlock(b2), encodeMinorBlock(bad), encodeMinorBlock(b3)]);
  assert.deepEqual(stopped.events.map((e) => hex(minorHeaderHash(decodeMinorHeader(e.header)))), [hex(minorBlockHash(b2))]);
  assert.ok(stopped.error, 'the refusal is reported');
  assert.equal(Object.getPrototypeOf(stopped.error), Object.prototype, 'a plain object, not an Error');
  assert.equal(stopped.error.cls, 'invalid');
  assert.match(stopped.error.code, /^[A-Z][A-Z0-9_]+$/);
  assert.equal((await shard.status()).tip.height, b2.header.height, 'nothing after the refusal was added');

  const again = await shard.addBlocksForSync([encodeMinorBlock(b2)]);
  assert.equal(again.error, null);
  assert.equal(again.events.length, 1, 'a known block is reported again');

  const served = await shard.blocksByHash([minorBlockHash(b2), new Uint8Array(32).fill(7), minorBlockHash(b1)]);
  assert.deepEqual(served.map((b) => hex(minorBlockHash(decodeMinorBlock(b)))), [hex(minorBlockHash(b2)), hex(minorBlockHash(b1))]);
}

test('shard sync tasks: addBlocksForSync and blocksByHash, in-thread and in a worker', { timeout: 60_000 }, async () => {
  const { blocks, roots } = await chain();
  const inThread = await InProcessShard.open(init());
  try {
    await exercise(inThread, blocks, roots);
  } finally {
    await inThread.close();
  }
  const fatal: unknown[] = [];
  const worker = new WorkerShard(init(), (e) => fatal.push(e));
  try {
    await exercise(worker, blocks, roots);
    assert.deepEqual(fatal, []);
  } finally {
    await worker.close();
  }
});
