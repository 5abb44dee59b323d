/**
 * The server side of GET_ROOT_HEADERS and GET_ROOT_BLOCKS (reference/sync.md §4, §3 scenario 44),
 * over the canonical root chain: from the origin (a canonical block by hash, or a height), every
 * `skip + 1` heights toward the tip or genesis, at most SERVE_ROOT_HEADERS; [] for an unknown or
 * non-canonical origin or a height past the tip. Blocks are served in request order, unknown
 * hashes and pruned bodies left out, at most SERVE_ROOT_BLOCKS; with the shard blocks they list
 * bundled when asked (`bundleShardBlocks`). A RootIndex fits `RootChainView` as it is.
 */
import type { Bytes } from '../../core/bytes.js';
import { minorHeaderHash, type MinorBlock } from '../../core/minorBlock.js';
import type { RootBlock } from '../../core/rootBlock.js';
import { SERVE_BUNDLE_BLOCKS, SERVE_BUNDLE_BYTES, SERVE_ROOT_BLOCKS, SERVE_ROOT_HEADERS } from '../limits.js';
import type { HeaderQuery } from '../messageTypes.js';
import type { RootHeader } from '../../core/rootBlock.js';

interface ViewEntry {
  readonly block: RootBlock;
  readonly height: number;
  /** The minor headers were dropped (RootIndex.pruneBodies): the body cannot be served. */
  readonly pruned?: boolean;
}

/** What serving needs of the root chain (RootIndex has it). */
export interface RootChainView<E extends ViewEntry = ViewEntry> {
  readonly tip: E;
  get(hash: Bytes): E | undefined;
  canonicalAt(height: number): E | undefined;
  isCanonical(e: E): boolean;
}

export function serveRootHeaders<E extends ViewEntry>(chain: RootChainView<E>, q: HeaderQuery, cap = SERVE_ROOT_HEADERS): RootHeader[] {
  let origin: E | undefined;
  if (q.origin.kind === 'height') origin = chain.canonicalAt(q.origin.height);
  else {
    const e = chain.get(q.origin.hash);
    origin = e && chain.isCanonical(e) ? e : undefined;
  }
  if (!origin) return [];
  const out: RootHeader[] = [];
  const step = (q.skip + 1) * (q.direction === 'toTip' ? 1 : -1);
  const limit = Math.min(q.limit, cap);
  for (let h = origin.height; out.length < limit && h >= 0 && h <= chain.tip.height; h += step) {
    out.push(chain.canonicalAt(h)!.block.header);
  }
  return out;
}

export function serveRootBlocks<E extends ViewEntry>(chain: RootChainView<E>, hashes: readonly Bytes[], cap = SERVE_ROOT_BLOCKS): RootBlock[] {
  const out: RootBlock[] = [];
  for (const hash of hashes.slice(0, cap)) {
    const e = chain.get(hash);
    if (e && !e.pruned) out.push(e.block);
  }
  return out;
}

/** A shard block a server can bundle, and the bytes of its encoding. */
export interface BundleItem {
  readonly block: MinorBlock;
  readonly bytes: number;
}

/**
 * The bundle of a ROOT_BLOCKS answer (p2p/rootBundle.ts): per root block, the prefix of the shard
 * blocks it lists that `lookup` finds, in listing order, while their bytes fit in `capBytes`
 * (the request's cap, at most SERVE_BUNDLE_BYTES). A listing stops at its first block not found;
 * every listing stops once one block does not fit, so the client fetches the rest in order.
 */
export function bundleShardBlocks(blocks: readonly RootBlock[], capBytes: number, lookup: (hash: Bytes) => BundleItem | undefined): MinorBlock[][] {
  let left = Math.min(capBytes, SERVE_BUNDLE_BYTES);
  let full = false;
  return blocks.map((rb) => {
    const out: MinorBlock[] = [];
    for (const h of rb.minorHeaders) {
      if (full) break;
      const found = lookup(minorHeaderHash(h));
      if (!found) break;
      if (found.bytes > left) {
        full = true;
        break;
      }
      left -= found.bytes;
      out.push(found.block);
    }
    return out;
  });
}

/**
 * The hashes a server looks up for a bundle of `blocks`, by shard in listing order: at most
 * SERVE_BUNDLE_BLOCKS in all (the reads one request may cost), only of shards `has` says it runs.
 */
export function bundleReads(blocks: readonly RootBlock[], has: (shard: number) => boolean): Map<number, Bytes[]> {
  const out = new Map<number, Bytes[]>();
  let n = 0;
  for (const rb of blocks) {
    for (const h of rb.minorHeaders) {
      if (n >= SERVE_BUNDLE_BLOCKS) return out;
      if (!has(h.branch)) continue;
      const list = out.get(h.branch) ?? [];
      list.push(minorHeaderHash(h));
      out.set(h.branch, list);
      n++;
    }
  }
  return out;
}
