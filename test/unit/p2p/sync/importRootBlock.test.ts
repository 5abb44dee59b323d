/** fetchBatch: a batch's root blocks, then the shard blocks they list that we lack, from one source; none once the download is not wanted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../../../../src/core/bytes.js';
import { minorBlockHash, minorHeaderHash } from '../../../../src/core/minorBlock.js';
import type { RootHeader } from '../../../../src/core/rootBlock.js';
import { fetchBatch } from '../../../../src/p2p/sync/importRootBlock.js';
import type { SyncContext } from '../../../../src/p2p/sync/syncContext.js';
import { DEFAULT_SYNC_OPTIONS } from '../../../../src/p2p/sync/syncOptions.js';
import { emptyStats, SyncStop } from '../../../../src/p2p/sync/syncOutcome.js';
import type { LocalNet } from '../../../utils/localNet.js';
import { withPair } from './syncHarness.js';
import { NetSource, netTarget } from './syncFixtures.js';

/** Root blocks of the peer's chain: a batch of them, each listing a block per shard. */
const ROUNDS = 3;

const headersOf = (net: LocalNet): RootHeader[] =>
  Array.from({ length: ROUNDS }, (_, i) => net.root.index.canonicalAt(i + 1)!.block.header);

function context(peer: LocalNet, local: LocalNet, source: NetSource): SyncContext {
  return { source, target: netTarget(local), opts: DEFAULT_SYNC_OPTIONS, stats: emptyStats(), tip: peer.root.tip.block.header };
}

test('fetchBatch: the root blocks, then the shard blocks they list, each with its root block in order', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const source = new NetSource(peer, {}, { id: 'peer' });
    const told: boolean[] = [];
    const got = await fetchBatch(context(peer, local, source), headersOf(peer), (more) => { told.push(more); return true; });
    assert.deepEqual(told, [true], 'told once that shard blocks are still to be asked for');
    assert.deepEqual(source.log.map((l) => l.split(' ')[0]), ['rootBlocks', 'minorBlocks', 'minorBlocks']);
    assert.equal(got.length, ROUNDS);
    for (const d of got) {
      const listed = d.block.minorHeaders.map((h) => toHex(minorHeaderHash(h)));
      assert.deepEqual(d.minors.flatMap(([, blocks]) => blocks.map((b) => toHex(minorBlockHash(b)))), listed);
    }
  });
});

test('fetchBatch: a download no longer wanted when its root blocks come (its batch went to another peer) asks for no shard blocks', async () => {
  await withPair(ROUNDS, async (peer, local) => {
    const source = new NetSource(peer, {}, { id: 'peer' });
    await assert.rejects(fetchBatch(context(peer, local, source), headersOf(peer), () => false), (e: unknown) => {
      assert.ok(e instanceof SyncStop);
      assert.equal(e.outcome.kind, 'aborted', 'no one is blamed');
      assert.equal(e.outcome.kind === 'aborted' && e.outcome.error.code, 'P2P_DOWNLOAD_DROPPED');
      return true;
    });
    assert.deepEqual(source.log.map((l) => l.split(' ')[0]), ['rootBlocks']);
  });
});
