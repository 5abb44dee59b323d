/** BlockTree: the canonical chain, forks, and forgetting everything below a pruning floor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minorGenesis } from '../../../src/consensus/genesis.js';
import { ZERO_STATS } from '../../../src/consensus/conservation.js';
import { minorHeaderHash, type MinorHeader } from '../../../src/core/minorBlock.js';
import { BlockTree, type BlockNode } from '../../../src/shard/blockTree.js';
import { testConfig } from '../../utils/localNet.js';

const cfg = testConfig();
const g = minorGenesis(cfg, 0x4).block;

/** A child header of `parent`; `salt` tells siblings apart. */
function child(parent: MinorHeader, salt = 0): MinorHeader {
  return { ...parent, height: parent.height + 1, hashPrevMinorBlock: minorHeaderHash(parent), createTime: parent.createTime + 1 + salt };
}

function grow(tree: BlockTree, from: BlockNode, n: number, salt = 0): BlockNode[] {
  const out: BlockNode[] = [];
  let h = from.header;
  for (let i = 0; i < n; i++) { h = child(h, i === 0 ? salt : 0); out.push(tree.add(h, g.meta, ZERO_STATS, true)); }
  return out;
}

test('blockTree: setTip reports the blocks that left and joined the canonical chain', () => {
  const tree = new BlockTree(g.header, g.meta);
  const main = grow(tree, tree.genesis, 4);
  tree.setTip(main[3]!);
  const fork = grow(tree, main[1]!, 3, 7);
  const { removed, added } = tree.setTip(fork[2]!);
  assert.deepEqual(removed.map((n) => n.header.height), [4, 3]);
  assert.deepEqual(added, fork);
  assert.equal(tree.canonicalAt(5), fork[2]);
  assert.ok(tree.isAncestor(main[1]!, fork[2]!));
  assert.ok(!tree.isAncestor(main[2]!, fork[2]!));
});

test('blockTree: pruneBelow forgets the blocks below the floor and the forks branching off below it, keeps the rest working', () => {
  const tree = new BlockTree(g.header, g.meta);
  const main = grow(tree, tree.genesis, 8);
  tree.setTip(main[7]!);
  const oldFork = grow(tree, main[1]!, 5, 3); // branches at height 2, reaches height 7 (above the floor)
  const newFork = grow(tree, main[5]!, 2, 5); // branches at height 6, above the floor
  const floor = main[4]!; // height 5
  const genesis = tree.genesis;
  const sizeBefore = tree.size;
  const removed = tree.pruneBelow(floor);
  assert.equal(removed.length, 5 + oldFork.length, 'genesis, heights 1-4 and the whole old fork');
  assert.equal(tree.size, sizeBefore - removed.length);
  for (const n of [genesis, ...main.slice(0, 4), ...oldFork]) assert.equal(tree.get(n.hash), undefined);
  for (let h = 0; h < 5; h++) assert.equal(tree.canonicalAt(h), undefined);
  assert.equal(floor.parent, null, 'the floor is the oldest known block');
  assert.equal(tree.canonicalAt(5), floor);
  assert.ok(tree.isAncestor(floor, main[7]!));
  assert.equal(tree.ancestorAt(newFork[1]!, 5), floor);
  // A reorganisation above the floor still works, and so does growing the chain.
  const { removed: left, added } = tree.setTip(newFork[1]!);
  assert.deepEqual(left.map((n) => n.header.height), [8, 7]);
  assert.deepEqual(added, newFork);
  grow(tree, newFork[1]!, 1);
  assert.equal(tree.pruneBelow(main[0]!).length, 0, 'a forgotten block is no floor');
  // Pruning again from a higher floor walks only down to the old one.
  assert.deepEqual(tree.pruneBelow(main[5]!), [floor]);
});
