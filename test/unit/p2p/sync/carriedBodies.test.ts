/** CarriedBodies (src/p2p/sync/carriedBodies.ts): bodies kept by root hash, taken a whole batch at a time, bounded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RootBlock } from '../../../../src/core/rootBlock.js';
import { CarriedBodies } from '../../../../src/p2p/sync/carriedBodies.js';
import type { DownloadedRoot } from '../../../../src/p2p/sync/syncSource.js';
import { chainSample } from '../fixtures.js';

const downloaded = (block: RootBlock): DownloadedRoot => ({ block, minors: [] });

test('CarriedBodies: a batch is taken whole, in header order, once; a batch with one body missing takes nothing', async () => {
  const c = await chainSample();
  const [r1, r2] = c.rootBlocks as [RootBlock, RootBlock];
  const carried = new CarriedBodies(8);
  carried.keep([downloaded(r2), downloaded(r1)]);
  assert.equal(carried.size, 2);
  assert.equal(carried.take([r1.header, { ...r2.header, nonce: r2.header.nonce + 1n }]), undefined, 'another block at height 2 (another hash)');
  assert.equal(carried.size, 2, 'nothing taken');
  assert.deepEqual(carried.take([r1.header, r2.header])?.map((d) => d.block), [r1, r2]);
  assert.equal(carried.size, 0);
  assert.equal(carried.take([r1.header]), undefined, 'taken once');
});

test('CarriedBodies: past its capacity the oldest kept go first', async () => {
  const c = await chainSample();
  const [r1, r2] = c.rootBlocks as [RootBlock, RootBlock];
  const carried = new CarriedBodies(1);
  carried.keep([downloaded(r1)]);
  carried.keep([downloaded(r2)]);
  assert.equal(carried.size, 1);
  assert.equal(carried.take([r1.header]), undefined);
  assert.equal(carried.take([r2.header])?.[0]?.block, r2);
});
