/**
 * RootIndex (the root-block tree the coordinator and every shard keep): the canonical chain by
 * height follows the heaviest tip through a reorganisation, ancestry answers across forks, and
 * each entry knows the last header of every shard confirmed on its chain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf } from '../../../src/core/bytes.js';
import { allShardIds, defaultConfig } from '../../../src/core/config.js';
import { minorHeaderHash, type MinorHeader } from '../../../src/core/minorBlock.js';
import { rootHeaderHash, type RootBlock } from '../../../src/core/rootBlock.js';
import { minorGenesis, rootGenesis } from '../../../src/consensus/genesis.js';
import { RootIndex } from '../../../src/consensus/rootIndex.js';

const cfg = defaultConfig({ algo: 'simulate', shards: 2 });
const [A, B] = allShardIds(cfg) as [number, number];
const genesis = rootGenesis(cfg);
const genesisMinor = new Map([A, B].map((id) => [id, minorHeaderHash(minorGenesis(cfg, id).block.header)] as const));

/** A child of `parent` with total difficulty genesis + `td`, listing `minor` (the index does not validate). */
function child(parent: RootBlock, td: bigint, minor: MinorHeader[] = [], tag = 0): RootBlock {
  const h = parent.header;
  return {
    header: { ...h, height: h.height + 1, hashPrevBlock: hashOf(parent), totalDifficulty: genesis.header.totalDifficulty + td, createTime: h.createTime + 1, nonce: BigInt(tag) },
    minorHeaders: minor,
  };
}
const hashOf = (b: RootBlock): Uint8Array => rootHeaderHash(b.header);

test('the canonical chain follows the heaviest tip through a reorganisation; ancestry holds across forks', () => {
  const idx = new RootIndex(genesis, genesisMinor);
  const a1 = child(genesis, 10n, [], 1);
  const a2 = child(a1, 20n, [], 1);
  const b1 = child(genesis, 11n, [], 2);
  const b2 = child(b1, 25n, [], 2);
  assert.equal(idx.add(a1).newTip, true);
  assert.equal(idx.add(a2).newTip, true);
  assert.equal(idx.add(b1).newTip, false);
  assert.equal(keyOf(idx.canonicalAt(1)!.hash), keyOf(hashOf(a1)));
  assert.equal(idx.add(b2).newTip, true);
  assert.equal(keyOf(idx.canonicalAt(1)!.hash), keyOf(hashOf(b1)), 'height 1 moved to the heavier fork');
  assert.equal(keyOf(idx.tip.hash), keyOf(hashOf(b2)));
  assert.ok(idx.isAncestor(hashOf(b1), hashOf(b2)));
  assert.ok(!idx.isAncestor(hashOf(a1), hashOf(b2)));
  assert.ok(idx.isAncestor(idx.genesis.hash, hashOf(a2)));
  assert.equal(keyOf(idx.ancestorAt(idx.get(hashOf(a2))!, 1)!.hash), keyOf(hashOf(a1)));
  assert.equal(idx.add(a2).known, true);
});

test('each entry knows the last header of every shard confirmed on its chain', () => {
  const idx = new RootIndex(genesis, genesisMinor);
  const ga = minorGenesis(cfg, A).block.header;
  const a1: MinorHeader = { ...ga, height: 1, hashPrevMinorBlock: minorHeaderHash(ga) };
  const a2: MinorHeader = { ...a1, height: 2, hashPrevMinorBlock: minorHeaderHash(a1) };
  const r1 = child(genesis, 10n, [a1, a2]);
  const r2 = child(r1, 20n);
  idx.add(r1);
  idx.add(r2);
  const e2 = idx.get(hashOf(r2))!;
  assert.equal(keyOf(e2.confirmed.get(A)!), keyOf(minorHeaderHash(a2)), 'the newest listed header of A, inherited by r2');
  assert.equal(keyOf(e2.confirmed.get(B)!), keyOf(genesisMinor.get(B)!), 'B still at its genesis block');
  assert.equal(keyOf(idx.genesis.confirmed.get(A)!), keyOf(genesisMinor.get(A)!));
});
