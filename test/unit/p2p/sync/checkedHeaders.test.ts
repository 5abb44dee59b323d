/** CheckedHeaders (src/p2p/sync/checkedHeaders.ts): checked root headers kept by hash for the next task, bounded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RootBlock } from '../../../../src/core/rootBlock.js';
import { CheckedHeaders } from '../../../../src/p2p/sync/checkedHeaders.js';
import { chainSample } from '../fixtures.js';

test('CheckedHeaders: a header is known by its hash only (another nonce at the same height is not), until cleared', async () => {
  const c = await chainSample();
  const [r1, r2] = c.rootBlocks as [RootBlock, RootBlock];
  const checked = new CheckedHeaders(8);
  checked.add([r1.header, r2.header]);
  assert.equal(checked.size, 2);
  assert.ok(checked.has(r1.header) && checked.has(r2.header));
  assert.equal(checked.has({ ...r2.header, nonce: r2.header.nonce + 1n }), false, 'same height, another hash');
  checked.clear();
  assert.equal(checked.has(r1.header), false);
});

test('CheckedHeaders: past its capacity the oldest added go first; adding again makes a header the newest', async () => {
  const c = await chainSample();
  const [r1, r2] = c.rootBlocks as [RootBlock, RootBlock];
  const r3 = { ...r2.header, nonce: r2.header.nonce + 1n };
  const checked = new CheckedHeaders(2);
  checked.add([r1.header, r2.header]);
  checked.add([r1.header]);
  checked.add([r3]);
  assert.equal(checked.size, 2);
  assert.deepEqual([checked.has(r1.header), checked.has(r2.header), checked.has(r3)], [true, false, true]);
});
