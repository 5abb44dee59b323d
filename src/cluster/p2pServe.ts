/**
 * The coordinator's side of P2P (DESIGN §10): the SyncTarget that root sync adds blocks through,
 * the answers to peers' requests, and the tips our HELLO carries. Root headers and blocks come
 * from the root index in this thread; shard blocks (asked for, or bundled with root blocks) from
 * the shard that stores them (a `blocksByHash` task), since only its thread owns its database.
 */
import { decodeMinorBlock, decodeMinorHeader, encodeMinorBlock, minorBlockHash, type MinorHeader } from '../core/minorBlock.js';
import type { RootHeader } from '../core/rootBlock.js';
import { consensusParams } from '../consensus/consensusParams.js';
import { minorGenesis } from '../consensus/genesis.js';
import { SERVE_SHARD_BLOCKS, SERVE_SHARD_HEADERS } from '../p2p/limits.js';
import type { GetRootBlocks, GetShardHeaders } from '../p2p/messages.js';
import type { LocalNode } from '../p2p/network.js';
import type { ResponseBody, ServedRequest } from '../p2p/peer.js';
import { bundleReads, bundleShardBlocks, serveRootBlocks, serveRootHeaders, type BundleItem } from '../p2p/sync/serveRootHeaders.js';
import { rootHeaderRules, type SyncTarget } from '../p2p/sync/syncTarget.js';
import { keyOf, type Bytes } from '../core/bytes.js';
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

/** Which tip of shard `id` to tell a peer (P2P's announced tips; the confirmed tips without P2P's tracker). */
export type ShardTipOf = (id: number) => MinorHeader;

/** The local node as the network sees it: identity, and tips read at each handshake. */
export function localNode(c: Coordinator, nodeId: Bytes, shardTip: ShardTipOf = (id) => confirmedShardTip(c, id)): LocalNode {
  return {
    networkId: c.config.networkId,
    genesisRootHash: c.root.index.genesis.hash,
    params: consensusParams(c.config),
    nodeId,
    tips: () => ({ rootTip: c.rootTip().block.header, shardTips: c.shardIds.map(shardTip) }),
  };
}

/** Stored blocks of shard `shardId` by hash, in request order; none for a shard we do not run. */
async function shardBlocks(c: Coordinator, shardId: number, hashes: readonly Bytes[]): Promise<ResponseBody> {
  const encoded = !c.hasShard(shardId) ? [] : await c.shard(shardId).blocksByHash(hashes.slice(0, SERVE_SHARD_BLOCKS));
  return { type: 'SHARD_BLOCKS', shardId, blocks: encoded.map(decodeMinorBlock) };
}

/** Root blocks by hash, with the shard blocks they list bundled as far as `m.shardBytes` asks (read from their shards). */
async function rootBlocks(c: Coordinator, m: GetRootBlocks): Promise<ResponseBody> {
  const blocks = serveRootBlocks(c.root.index, m.hashes);
  if (m.shardBytes === undefined) return { type: 'ROOT_BLOCKS', blocks };
  const found = new Map<string, BundleItem>();
  const reads = [...bundleReads(blocks, (id) => c.hasShard(id))].flatMap(([id, hashes]) => {
    const chunks: Bytes[][] = [];
    for (let i = 0; i < hashes.length; i += SERVE_SHARD_BLOCKS) chunks.push(hashes.slice(i, i + SERVE_SHARD_BLOCKS));
    return chunks.map(async (chunk) => {
      for (const e of await c.shard(id).blocksByHash(chunk)) {
        const block = decodeMinorBlock(e);
        found.set(keyOf(minorBlockHash(block)), { block, bytes: e.length });
      }
    });
  });
  await Promise.all(reads);
  return { type: 'ROOT_BLOCKS', blocks, shardBlocks: bundleShardBlocks(blocks, m.shardBytes, (h) => found.get(keyOf(h))) };
}

/** Canonical headers of shard `shardId` from the shard that stores them; [] for a shard we do not run. */
async function shardHeaders(c: Coordinator, m: GetShardHeaders, shardTip: ShardTipOf, rootTip: RootHeader): Promise<ResponseBody> {
  if (!c.hasShard(m.shardId)) return { type: 'SHARD_HEADERS', shardId: m.shardId, rootTip, shardTip: minorGenesis(c.config, m.shardId).block.header, headers: [] };
  const tip = shardTip(m.shardId);
  const origin = m.origin.kind === 'hash' ? { hash: m.origin.hash } : { height: m.origin.height };
  const r = await c.shard(m.shardId).shardHeaders({ ...origin, limit: Math.min(m.limit, SERVE_SHARD_HEADERS), skip: m.skip, toTip: m.direction === 'toTip' });
  // Never past the tip we announce (the shard's own may be a block ahead of it).
  const headers = r.headers.map(decodeMinorHeader).filter((h) => h.height <= tip.height);
  return { type: 'SHARD_HEADERS', shardId: m.shardId, rootTip, shardTip: tip, headers };
}

/** A peer's request answered from the coordinator; shard tips as `shardTip` tells them. */
export async function serveRequest(c: Coordinator, m: ServedRequest, shardTip: ShardTipOf = (id) => confirmedShardTip(c, id)): Promise<ResponseBody> {
  const rootTip = c.rootTip().block.header;
  switch (m.type) {
    case 'GET_ROOT_HEADERS':
      return { type: 'ROOT_HEADERS', rootTip, headers: serveRootHeaders(c.root.index, m) };
    case 'GET_ROOT_BLOCKS':
      return rootBlocks(c, m);
    case 'GET_SHARD_BLOCKS':
      return shardBlocks(c, m.shardId, m.hashes);
    case 'GET_SHARD_HEADERS':
      return shardHeaders(c, m, shardTip, rootTip);
  }
}
