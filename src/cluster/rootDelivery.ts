/**
 * Delivering root blocks to shards (DESIGN §8, §9): to one shard with its missing ancestors
 * first (the shard names them with ROOT_PARENT_UNKNOWN) and "not yet" (the shard still lacks
 * blocks the root block confirms) retried for a while; and the catch-up after a restart.
 */
import { ChainError } from '../core/errors.js';
import { decodeMinorHeader } from '../core/minorBlock.js';
import { encodeRootBlock, type RootBlock } from '../core/rootBlock.js';
import type { RootIndex } from '../consensus/rootIndex.js';
import type { RootChain } from '../root/rootChain.js';
import type { Shard } from '../shard/protocol.js';

/** How often a shard that is not ready for a root block yet is retried, and for how long (10 s). */
export const ROOT_RETRY_MS = 50;
export const ROOT_RETRY_LIMIT = 200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The root blocks a delivery may look up ancestors in. */
export type RootLookup = Pick<RootIndex, 'get'>;

export async function deliverRootBlock(shard: Pick<Shard, 'addRootBlock'>, rb: RootBlock, index: RootLookup): Promise<void> {
  const bytes = encodeRootBlock(rb);
  for (let attempt = 0; ; attempt++) {
    try {
      await shard.addRootBlock(bytes);
      return;
    } catch (e) {
      const err = ChainError.from(e);
      const parent = index.get(rb.header.hashPrevBlock);
      if (err.code === 'ROOT_PARENT_UNKNOWN' && parent && parent.height > 0) {
        await deliverRootBlock(shard, parent.block, index);
        continue;
      }
      if (err.cls !== 'notYet' || attempt >= ROOT_RETRY_LIMIT) throw err;
      await sleep(ROOT_RETRY_MS);
    }
  }
}

/**
 * DESIGN §9, after a restart: every shard re-reports its committed headers to the root chain and
 * gets the root blocks it missed; then the write-ahead root block (one whose delivery may have
 * been cut short) is delivered to every shard again and the record cleared.
 */
export async function recoverRoot(root: RootChain, shards: readonly Shard[]): Promise<void> {
  const wal = await root.wal();
  for (const s of shards) {
    const headers = await s.committedHeaders();
    for (const [j, h] of headers.entries()) await root.addCommittedHeader(decodeMinorHeader(h), j === headers.length - 1);
    const st = await s.status();
    for (let h = Math.max(st.rootHeight - 1, 1); h <= root.tip.height; h++) await deliverRootBlock(s, root.index.canonicalAt(h)!.block, root.index);
  }
  if (wal) {
    const e = root.index.get(wal);
    if (e) for (const s of shards) await deliverRootBlock(s, e.block, root.index);
    await root.clearWal();
  }
}
