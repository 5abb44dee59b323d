/** The server side of header and body requests (reference/sync.md §3 scenario 44, by height and by hash). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeaderQuery } from '../../../../src/p2p/messageTypes.js';
import { serveRootBlocks, serveRootHeaders } from '../../../../src/p2p/sync/serveRootHeaders.js';
import { copyRootBlock, forkedPair, hashOf, mineRounds, openNet } from './syncFixtures.js';

test('serveRootHeaders: skip, limit and direction over a 10-block chain, by height and by hash', async () => {
  const net = await openNet();
  try {
    await mineRounds(net, 10);
    const idx = net.root.index;
    const heights = (q: Omit<HeaderQuery, 'origin'>, from: number): { byHeight: number[]; byHash: number[] } => ({
      byHeight: serveRootHeaders(idx, { ...q, origin: { kind: 'height', height: from } }).map((h) => h.height),
      byHash: serveRootHeaders(idx, { ...q, origin: { kind: 'hash', hash: idx.canonicalAt(from)!.hash } }).map((h) => h.height),
    });
    const cases: Array<[Omit<HeaderQuery, 'origin'>, number, number[]]> = [
      [{ skip: 1, limit: 3, direction: 'toTip' }, 1, [1, 3, 5]],
      [{ skip: 2, limit: 4, direction: 'toTip' }, 2, [2, 5, 8]],
      [{ skip: 0, limit: 100, direction: 'toTip' }, 6, [6, 7, 8, 9, 10]],
      [{ skip: 2, limit: 4, direction: 'toGenesis' }, 2, [2]],
      [{ skip: 1, limit: 5, direction: 'toGenesis' }, 8, [8, 6, 4, 2, 0]],
    ];
    for (const [q, from, want] of cases) {
      const got = heights(q, from);
      assert.deepEqual(got.byHeight, want, `by height ${from} ${JSON.stringify(q)}`);
      assert.deepEqual(got.byHash, want, `by hash ${from} ${JSON.stringify(q)}`);
    }
    assert.deepEqual(serveRootHeaders(idx, { origin: { kind: 'height', height: 11 }, skip: 0, limit: 5, direction: 'toGenesis' }), [], 'past the tip');
    assert.deepEqual(serveRootHeaders(idx, { origin: { kind: 'hash', hash: new Uint8Array(32) }, skip: 0, limit: 5, direction: 'toTip' }), [], 'unknown hash');
    assert.equal(serveRootHeaders(idx, { origin: { kind: 'height', height: 0 }, skip: 0, limit: 1000, direction: 'toTip' }, 4).length, 4, 'the serve cap');
  } finally {
    await net.close();
  }
});

test('serveRootHeaders: a non-canonical origin hash gets []; serveRootBlocks keeps request order and leaves unknown hashes out', async () => {
  const { peer, local } = await forkedPair(2, 1, 2);
  try {
    const side = peer.root.index.canonicalAt(3)!.block;
    await copyRootBlock(peer, local, side);
    const sideEntry = local.root.index.get(hashOf(side.header))!;
    assert.ok(sideEntry && !local.root.index.isCanonical(sideEntry), 'the peer\'s block 3 is a side block here');
    assert.deepEqual(serveRootHeaders(local.root.index, { origin: { kind: 'hash', hash: sideEntry.hash }, skip: 0, limit: 3, direction: 'toTip' }), []);
    const a = local.root.index.canonicalAt(1)!.hash;
    const b = local.root.index.canonicalAt(4)!.hash;
    const blocks = serveRootBlocks(local.root.index, [b, new Uint8Array(32), a, sideEntry.hash]);
    assert.deepEqual(blocks.map((x) => hashOf(x.header)), [b, a, sideEntry.hash]);
    assert.equal(serveRootBlocks(local.root.index, [a, b], 1).length, 1, 'the serve cap');
  } finally {
    await peer.close();
    await local.close();
  }
});
