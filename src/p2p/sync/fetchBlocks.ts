/**
 * Bodies after headers (reference/sync.md §1.2 steps 4-5): root blocks by hash in batches, then
 * for each root block the minor blocks it lists that we lack, fetched from the same peer. A
 * response must hold exactly the blocks asked for, in request order (what the hashes pin down:
 * a root block's header is the checked one; its minor headers must match its merkle root).
 */
import { equalBytes, keyOf, toHex, type Bytes } from '../../core/bytes.js';
import { minorBlockHash, minorHeaderHash, type MinorBlock } from '../../core/minorBlock.js';
import { minorHeadersMerkleRoot, rootBlockHash, rootHeaderHash, type RootBlock, type RootHeader } from '../../core/rootBlock.js';
import { peerFault, syncFault } from '../peerFault.js';
import { boundedRequest } from './boundedRequest.js';
import { stopSignal, type SyncContext } from './syncContext.js';
import { stopFault } from './syncOutcome.js';

/** Fewer or more items than asked for. */
function checkCount(what: string, got: number, want: number): void {
  if (got < want) throw stopFault(syncFault('P2P_SHORT_RESPONSE', `${what}: ${got} blocks, ${want} asked for`));
  if (got > want) throw stopFault(peerFault('P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE', `${what}: ${got} blocks, ${want} asked for`));
}

function checkHashes(what: string, got: readonly Bytes[], want: readonly Bytes[]): void {
  got.forEach((h, i) => {
    if (!equalBytes(h, want[i]!)) throw stopFault(syncFault('P2P_BLOCK_MISMATCH', `${what}: block ${i} is ${toHex(h).slice(0, 18)}, not the one asked for`));
  });
}

/** The root blocks of `headers` (checked headers, ≤ a body batch), in order. */
export async function fetchRootBodies(ctx: SyncContext, headers: readonly RootHeader[]): Promise<RootBlock[]> {
  const hashes = headers.map(rootHeaderHash);
  ctx.stats.bodyRequests++;
  const blocks = await boundedRequest(ctx.source, 'root bodies', ctx.opts.requestTimeoutMs, () => ctx.source.getRootBlocks(hashes), stopSignal(ctx));
  checkCount('root bodies', blocks.length, hashes.length);
  checkHashes('root bodies', blocks.map(rootBlockHash), hashes);
  for (const b of blocks) {
    if (!equalBytes(minorHeadersMerkleRoot(b.minorHeaders), b.header.hashMerkleRoot)) {
      throw stopFault(syncFault('P2P_BAD_BODY', `root block ${b.header.height}: minor headers do not match the merkle root`));
    }
  }
  ctx.stats.bodies += blocks.length;
  return [...blocks];
}

/** The minor hashes `rb` lists that we lack, by shard in listing order (ascending shard, oldest first). */
export function missingMinorHashes(ctx: SyncContext, rb: RootBlock): Map<number, Bytes[]> {
  const out = new Map<number, Bytes[]>();
  const seen = new Set<string>();
  for (const h of rb.minorHeaders) {
    const hash = minorHeaderHash(h);
    if (seen.has(keyOf(hash)) || ctx.target.hasMinorBlock(hash)) continue;
    seen.add(keyOf(hash));
    const list = out.get(h.branch) ?? [];
    list.push(hash);
    out.set(h.branch, list);
  }
  return out;
}

/** The blocks of `hashes` on `shard`, in `minorBatch` requests (root sync, and shard sync with its own context). */
export async function fetchMinorBlocks(ctx: Pick<SyncContext, 'source' | 'opts' | 'stats' | 'pool'>, shard: number, hashes: readonly Bytes[]): Promise<MinorBlock[]> {
  const out: MinorBlock[] = [];
  const what = `shard 0x${shard.toString(16)} blocks`;
  for (let i = 0; i < hashes.length; i += ctx.opts.minorBatch) {
    const want = hashes.slice(i, i + ctx.opts.minorBatch);
    ctx.stats.minorRequests++;
    const blocks = await boundedRequest(ctx.source, what, ctx.opts.requestTimeoutMs, () => ctx.source.getMinorBlocks(shard, want), stopSignal(ctx));
    checkCount(what, blocks.length, want.length);
    checkHashes(what, blocks.map(minorBlockHash), want);
    ctx.stats.minorBlocks += blocks.length;
    out.push(...blocks);
  }
  return out;
}
