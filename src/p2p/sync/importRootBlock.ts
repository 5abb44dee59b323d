/**
 * One downloaded root block into our chain (DESIGN §10): the minor blocks it lists that we lack
 * come from the same peer and go to their shards first (each shard's in parallel, as the
 * workers validate independently), then the root block itself. A block refused as `invalid`
 * is the serving peer's fault (P2P_BAD_BLOCK); any other refusal stops without blame.
 */
import { ChainError } from '../../core/errors.js';
import type { MinorBlock } from '../../core/minorBlock.js';
import type { RootBlock } from '../../core/rootBlock.js';
import { syncFault } from '../peerFault.js';
import { fetchMinorBlocks, missingMinorHashes } from './fetchBlocks.js';
import type { SyncContext } from './syncContext.js';
import { stopAborted, stopFault, SyncStop } from './syncOutcome.js';

/** A hook's refusal as a SyncStop. */
function refusal(e: unknown, what: string): SyncStop {
  if (e instanceof SyncStop) return e;
  const err = ChainError.from(e);
  return err.cls === 'invalid' ? stopFault(syncFault('P2P_BAD_BLOCK', `${what}: ${err.message}`)) : stopAborted(err);
}

export async function importRootBlock(ctx: SyncContext, rb: RootBlock): Promise<void> {
  const fetched: Array<[number, MinorBlock[]]> = [];
  for (const [shard, hashes] of missingMinorHashes(ctx, rb)) fetched.push([shard, await fetchMinorBlocks(ctx, shard, hashes)]);
  const added = await Promise.allSettled(fetched.map(([shard, blocks]) => ctx.target.addMinorBlocks(shard, blocks)));
  // An invalid block outranks another shard's "not yet": the peer served it either way.
  const failures = added.flatMap((r, i) => (r.status === 'rejected' ? [refusal(r.reason, `minor blocks of shard 0x${fetched[i]![0].toString(16)}`)] : []));
  const fault = failures.find((s) => s.outcome.kind === 'fault');
  if (fault ?? failures[0]) throw fault ?? failures[0];
  try {
    await ctx.target.addRootBlock(rb);
  } catch (e) {
    throw refusal(e, `root block ${rb.header.height}`);
  }
  ctx.stats.rootBlocksAdded++;
}
