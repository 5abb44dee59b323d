/** Root block delivery to one shard: ancestors first on ROOT_PARENT_UNKNOWN, "not yet" retried, anything else thrown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../src/core/config.js';
import { ChainError, invalid, notYet } from '../../../src/core/errors.js';
import { decodeRootBlock, rootHeaderHash, type RootBlock } from '../../../src/core/rootBlock.js';
import { keyOf } from '../../../src/core/bytes.js';
import { rootGenesis } from '../../../src/consensus/genesis.js';
import { deliverRootBlock, type RootLookup } from '../../../src/cluster/rootDelivery.js';
import type { RootEntry } from '../../../src/consensus/rootIndex.js';

/** Root blocks 1..n on genesis (unsealed: delivery never checks seals). */
function chain(n: number): RootBlock[] {
  const g = rootGenesis(defaultConfig({ shards: 2 }));
  const out = [g];
  for (let h = 1; h <= n; h++) out.push({ ...g, header: { ...g.header, height: h, hashPrevBlock: rootHeaderHash(out[h - 1]!.header), createTime: g.header.createTime + h } });
  return out;
}

function lookup(blocks: RootBlock[]): RootLookup {
  const m = new Map(blocks.map((b) => [keyOf(rootHeaderHash(b.header)), { block: b, height: b.header.height } as RootEntry]));
  return { get: (h) => m.get(keyOf(h)) };
}

test('deliverRootBlock: a shard missing ancestors gets them oldest first, then the block', async () => {
  const blocks = chain(3);
  const has = new Set<number>([0, 1]);
  const got: number[] = [];
  const shard = {
    addRootBlock: async (bytes: Uint8Array) => {
      const rb = decodeRootBlock(bytes);
      if (!has.has(rb.header.height - 1)) throw notYet('ROOT_PARENT_UNKNOWN', 'parent unknown');
      has.add(rb.header.height);
      got.push(rb.header.height);
      return { tipChanged: true };
    },
  };
  await deliverRootBlock(shard, blocks[3]!, lookup(blocks));
  assert.deepEqual(got, [2, 3]);
});

test('deliverRootBlock: "not yet" is retried until the shard takes it; an invalid refusal is thrown at once', async () => {
  const blocks = chain(1);
  let calls = 0;
  await deliverRootBlock({ addRootBlock: async () => { if (++calls < 3) throw notYet('XSHARD_LIST_MISSING', 'wait'); return { tipChanged: true }; } }, blocks[1]!, lookup(blocks));
  assert.equal(calls, 3);
  let bad = 0;
  await assert.rejects(
    deliverRootBlock({ addRootBlock: async () => { bad++; throw invalid('ROOT_BAD_DIFFICULTY', 'no'); } }, blocks[1]!, lookup(blocks)),
    (e: ChainError) => e.code === 'ROOT_BAD_DIFFICULTY',
  );
  assert.equal(bad, 1);
});
