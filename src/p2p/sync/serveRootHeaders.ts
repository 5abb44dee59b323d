/**
 * The server side of GET_ROOT_HEADERS and GET_ROOT_BLOCKS (reference/sync.md §4, §3 scenario 44),
 * over the canonical root chain: from the origin (a canonical block by hash, or a height), every
 * `skip + 1` heights toward the tip or genesis, at most SERVE_ROOT_HEADERS; [] for an unknown or
 * non-canonical origin or a height past the tip. Blocks are served in request order, unknown
 * hashes and pruned bodies left out, at most SERVE_ROOT_BLOCKS. A RootIndex fits `RootChainView` as it is.
 */
import type { Bytes } from '../../core/bytes.js';
import type { RootBlock } from '../../core/rootBlock.js';
import { SERVE_ROOT_BLOCKS, SERVE_ROOT_HEADERS } from '../limits.js';
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
