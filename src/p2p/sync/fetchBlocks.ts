/**
 * Bodies after headers (reference/sync.md §1.2 steps 4-5): root blocks by hash in batches, with
 * as many of the minor blocks they list as the peer bundles (p2p/rootBundle.ts), then for each
 * root block the minor blocks it lists that we still lack, fetched from the same peer. A
 * response must hold exactly the blocks asked for, in request order (what the hashes pin down:
 * a root block's header is the checked one; its minor headers must match its merkle root).
 */
import { equalBytes, keyOf, toHex, type Bytes } from '../../core/bytes.js';
import { encodeMinorBlock, minorBlockHash, minorHeaderHash, type MinorBlock } from '../../core/minorBlock.js';
import { minorHeadersMerkleRoot, rootBlockHash, rootHeaderHash, type RootBlock, type RootHeader } from '../../core/rootBlock.js';
import { peerFault, syncFault } from '../peerFault.js';
import { checkBundle } from '../rootBundle.js';
import type { Fail } from '../wireChecks.js';
import { boundedRequest } from './boundedRequest.js';
import { stopSignal, type SyncContext } from './syncContext.js';
import { stopFault } from './syncOutcome.js';
import type { RootBlocksReply } from './syncSource.js';

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

/** Root blocks, and the shard blocks that came bundled with them by hash (keyOf). */
export interface RootBodies {
  readonly blocks: RootBlock[];
  readonly bundled: Map<string, MinorBlock>;
}

/** A bundle that breaks the rootBundle.ts rules (the decoder checks a peer's; this, any source's). */
const bundleFail: Fail = (code, detail) => {
  throw stopFault(code === 'P2P_LIST_TOO_LONG'
    ? peerFault('P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE', `root bodies bundle: ${detail}`)
    : syncFault('P2P_BLOCK_MISMATCH', `root bodies bundle: ${detail}`));
};

/** The bundled shard blocks of `blocks` by hash, after checking they were asked for, match the listings and keep within `shardBytes`. */
function bundledBlocks(blocks: readonly RootBlock[], shardBlocks: RootBlocksReply['shardBlocks'], shardBytes: number | undefined): Map<string, MinorBlock> {
  const out = new Map<string, MinorBlock>();
  if (shardBlocks === undefined) return out;
  if (shardBytes === undefined) throw stopFault(peerFault('P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE', 'root bodies: shard blocks bundled unasked'));
  checkBundle(blocks, shardBlocks, bundleFail);
  let bytes = 0;
  for (const b of shardBlocks.flat()) {
    bytes += encodeMinorBlock(b).length;
    out.set(keyOf(minorBlockHash(b)), b);
  }
  if (bytes > shardBytes) throw stopFault(peerFault('P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE', `root bodies: ${bytes} bytes of shard blocks bundled, ${shardBytes} asked for`));
  return out;
}

/** The root blocks of `headers` (checked headers, ≤ a body batch), in order, with the shard blocks bundled with them (if `opts.bundleBytes`). */
export async function fetchRootBodies(ctx: SyncContext, headers: readonly RootHeader[]): Promise<RootBodies> {
  const hashes = headers.map(rootHeaderHash);
  ctx.stats.bodyRequests++;
  const { source } = ctx;
  const shardBytes = ctx.opts.bundleBytes > 0 ? ctx.opts.bundleBytes : undefined;
  const reply = await boundedRequest(source, 'root bodies', ctx.opts.requestTimeoutMs,
    () => (source.getRootBundle ? source.getRootBundle(hashes, shardBytes) : source.getRootBlocks(hashes).then((blocks) => ({ blocks, shardBlocks: undefined }))),
    stopSignal(ctx));
  const { blocks } = reply;
  checkCount('root bodies', blocks.length, hashes.length);
  checkHashes('root bodies', blocks.map(rootBlockHash), hashes);
  for (const b of blocks) {
    if (!equalBytes(minorHeadersMerkleRoot(b.minorHeaders), b.header.hashMerkleRoot)) {
      throw stopFault(syncFault('P2P_BAD_BODY', `root block ${b.header.height}: minor headers do not match the merkle root`));
    }
  }
  ctx.stats.bodies += blocks.length;
  return { blocks: [...blocks], bundled: bundledBlocks(blocks, reply.shardBlocks, shardBytes) };
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
