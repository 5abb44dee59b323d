/**
 * Downloaded root blocks into our chain (DESIGN §10): the minor blocks a root block lists that we
 * lack come from the peer that served the root block (`fetchBatch`: bundled with the root blocks
 * as far as the peer sends them, the rest with a request per shard, all at once) and go
 * to their shards first (each shard's list in parallel, as the workers validate independently),
 * then the root block itself (`addDownloaded`). A block refused as `invalid` is a fault
 * (P2P_BAD_BLOCK: the blocks are pinned by the checked headers' hashes, so the chain is bad);
 * any other refusal stops without blame.
 */
import { ChainError, internal } from '../../core/errors.js';
import { keyOf, type Bytes } from '../../core/bytes.js';
import { minorBlockHash } from '../../core/minorBlock.js';
import type { RootHeader } from '../../core/rootBlock.js';
import { syncFault } from '../peerFault.js';
import { fetchMinorBlocks, fetchRootBodies, missingMinorHashes } from './fetchBlocks.js';
import type { SyncContext } from './syncContext.js';
import type { DownloadedRoot } from './syncSource.js';
import { stopAborted, stopFault, SyncStop } from './syncOutcome.js';

export type { DownloadedRoot };

/** A hook's refusal as a SyncStop. */
function refusal(e: unknown, what: string): SyncStop {
  if (e instanceof SyncStop) return e;
  const err = ChainError.from(e);
  return err.cls === 'invalid' ? stopFault(syncFault('P2P_BAD_BLOCK', `${what}: ${err.message}`)) : stopAborted(err);
}

/**
 * The root blocks of checked `headers` (≤ a body batch) and the minor blocks they list that we
 * lack, all from `ctx.source` (bundled, then requested); `onRootBodies` is told when the root
 * blocks are in, and whether minor requests go out (a second round trip: not when all came
 * bundled); it answers whether the download is still wanted (P2P_DOWNLOAD_DROPPED, and no minor
 * request, if not: its batch went to another peer meanwhile).
 */
export async function fetchBatch(ctx: SyncContext, headers: readonly RootHeader[], onRootBodies: (minorRequests: boolean) => boolean = () => true): Promise<DownloadedRoot[]> {
  const { blocks, bundled } = await fetchRootBodies(ctx, headers);
  const lists = blocks.map((rb) => missingMinorHashes(ctx, rb));
  const wanted = new Map<number, Bytes[]>();
  let used = 0;
  for (const list of lists) {
    for (const [shard, hashes] of list) {
      const rest = hashes.filter((h) => !bundled.has(keyOf(h)));
      used += hashes.length - rest.length;
      if (rest.length > 0) wanted.set(shard, [...(wanted.get(shard) ?? []), ...rest]);
    }
  }
  ctx.stats.bundledBlocks += used;
  ctx.stats.minorBlocks += used;
  if (!onRootBodies(wanted.size > 0)) throw stopAborted(internal('P2P_DOWNLOAD_DROPPED', `root blocks from height ${headers[0]!.height}: the batch went to another peer`));
  // Every shard's remaining blocks at once: a request per shard (per minorBatch) in flight together.
  const fetched = await Promise.all([...wanted].map(([shard, hashes]) => fetchMinorBlocks(ctx, shard, hashes)));
  const byHash = new Map(bundled);
  for (const b of fetched.flat()) byHash.set(keyOf(minorBlockHash(b)), b);
  return blocks.map((block, i) => ({
    block,
    minors: [...lists[i]!].map(([shard, hashes]) => [shard, hashes.map((h) => byHash.get(keyOf(h))!)] as const),
  }));
}

export async function addDownloaded(ctx: SyncContext, d: DownloadedRoot): Promise<void> {
  const added = await Promise.allSettled(d.minors.map(([shard, blocks]) => ctx.target.addMinorBlocks(shard, blocks)));
  // An invalid block outranks another shard's "not yet": the peer served it either way.
  const failures = added.flatMap((r, i) => (r.status === 'rejected' ? [refusal(r.reason, `minor blocks of shard 0x${d.minors[i]![0].toString(16)}`)] : []));
  const fault = failures.find((s) => s.outcome.kind === 'fault');
  if (fault ?? failures[0]) throw fault ?? failures[0];
  try {
    await ctx.target.addRootBlock(d.block);
  } catch (e) {
    throw refusal(e, `root block ${d.block.header.height}`);
  }
  ctx.stats.rootBlocksAdded++;
}
