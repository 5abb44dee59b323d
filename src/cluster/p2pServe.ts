/**
 * The coordinator's side of P2P (DESIGN §10): the SyncTarget that root sync adds blocks through,
 * the answers to peers' requests, and the tips our HELLO carries. Root headers and blocks come
 * from the root index in this thread; shard blocks from the shard that stores them (a
 * `blocksByHash` task), since only its thread owns its database.
 */
import { decodeMinorBlock, encodeMinorBlock, type MinorHeader } from '../core/minorBlock.js';
import { minorGenesis } from '../consensus/genesis.js';
import { SERVE_SHARD_BLOCKS } from '../p2p/limits.js';
import type { LocalNode } from '../p2p/network.js';
import type { ResponseBody, ServedRequest } from '../p2p/peer.js';
import { serveRootBlocks, serveRootHeaders } from '../p2p/sync/serveRootHeaders.js';
import { rootHeaderRules, type SyncTarget } from '../p2p/sync/syncTarget.js';
import type { Bytes } from '../core/bytes.js';
import type { Coordinator } from './coordinator.js';

/** Root sync's hooks over a running coordinator (its root chain, its shards, its add paths). */
export function coordinatorSyncTarget(c: Coordinator, nowSec: () => number): SyncTarget {
  const root = c.root;
  return {
    rootTip: () => ({ hash: root.tip.hash, height: root.tip.height, td: root.tip.td }),
    hasRootBlock: (h) => root.index.has(h),
    rootHeader: (h) => root.index.get(h)?.block.header,
    ...rootHeaderRules(c.config.root, nowSec),
    hasMinorBlock: (h) => root.isCommitted(h),
    addMinorBlocks: (shard, blocks) => c.addShardBlocksForSync(shard, blocks.map(encodeMinorBlock)),
    addRootBlock: async (rb) => {
      await c.addRootBlock(rb);
    },
  };
}

/** Shard `id`'s last block confirmed by our root tip (what the root chain vouches for); SHARD_UNKNOWN for a shard we do not run. */
export function confirmedShardTip(c: Coordinator, id: number): MinorHeader {
  c.shard(id);
  const hash = c.rootTip().confirmed.get(id);
  return (hash && c.root.committedHeader(hash)) || minorGenesis(c.config, id).block.header;
}

/** Each shard's confirmed tip (`confirmedShardTip`), ascending full shard id. */
export function confirmedShardTips(c: Coordinator): MinorHeader[] {
  return c.shardIds.map((id) => confirmedShardTip(c, id));
}

/** The local node as the network sees it: identity, and tips read at each handshake. */
export function localNode(c: Coordinator, nodeId: Bytes): LocalNode {
  return {
    networkId: c.config.networkId,
    genesisRootHash: c.root.index.genesis.hash,
    nodeId,
    tips: () => ({ rootTip: c.rootTip().block.header, shardTips: confirmedShardTips(c) }),
  };
}

/** Stored blocks of shard `shardId` by hash, in request order; none for a shard we do not run. */
async function shardBlocks(c: Coordinator, shardId: number, hashes: readonly Bytes[]): Promise<ResponseBody> {
  // Copies: a decoded hash is a view into the whole frame, which a worker task would clone entire.
  const encoded = !c.hasShard(shardId) ? [] : await c.shard(shardId).blocksByHash(hashes.slice(0, SERVE_SHARD_BLOCKS).map((h) => new Uint8Array(h)));
  return { type: 'SHARD_BLOCKS', shardId, blocks: encoded.map(decodeMinorBlock) };
}

/**
 * A peer's request answered from the coordinator. GET_SHARD_HEADERS (shard sync, not done yet)
 * gets an empty list with our tips, as for an unknown origin, rather than no answer at all.
 */
export async function serveRequest(c: Coordinator, m: ServedRequest): Promise<ResponseBody> {
  const rootTip = c.rootTip().block.header;
  switch (m.type) {
    case 'GET_ROOT_HEADERS':
      return { type: 'ROOT_HEADERS', rootTip, headers: serveRootHeaders(c.root.index, m) };
    case 'GET_ROOT_BLOCKS':
      return { type: 'ROOT_BLOCKS', blocks: serveRootBlocks(c.root.index, m.hashes) };
    case 'GET_SHARD_BLOCKS':
      return shardBlocks(c, m.shardId, m.hashes);
    case 'GET_SHARD_HEADERS': {
      const shardTip = confirmedShardTip(c, m.shardId);
      return { type: 'SHARD_HEADERS', shardId: m.shardId, rootTip, shardTip, headers: [] };
    }
  }
}
