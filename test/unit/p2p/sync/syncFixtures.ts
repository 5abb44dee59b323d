/**
 * Sync test fixtures built from real blocks: LocalNet chains (real seals at a root difficulty
 * high enough that a wrong nonce fails), a SyncSource that serves one LocalNet the way a peer
 * would (serveRootHeaders / serveRootBlocks, shard blocks from the shard chains) with hooks to
 * misbehave, and a SyncTarget over another LocalNet.
 */
import { keyOf, type Bytes } from '../../../../src/core/bytes.js';
import { encodeMinorBlock, minorHeaderHash, type MinorBlock, type MinorHeader } from '../../../../src/core/minorBlock.js';
import { rootHeaderHash, type RootBlock, type RootHeader } from '../../../../src/core/rootBlock.js';
import { SERVE_SHARD_BLOCKS, SERVE_SHARD_HEADERS } from '../../../../src/p2p/limits.js';
import type { HeaderQuery } from '../../../../src/p2p/messageTypes.js';
import { bundleShardBlocks, serveRootBlocks, serveRootHeaders, type BundleItem, type RootChainView } from '../../../../src/p2p/sync/serveRootHeaders.js';
import type { RootEntry } from '../../../../src/consensus/rootIndex.js';
import type { RootBlocksReply, RootHeadersReply, ShardHeadersReply, SyncSource } from '../../../../src/p2p/sync/syncSource.js';
import { rootHeaderRules, type SyncTarget } from '../../../../src/p2p/sync/syncTarget.js';
import { LocalNet, testConfig } from '../../../utils/localNet.js';

/** Root difficulty of the sync tests: ~1 in 1000 nonces seals, so a changed nonce almost surely breaks the seal, and mining stays fast. */
export const SYNC_ROOT_DIFFICULTY = 1000n;
/** Two shards: enough for per-shard grouping, half the mining of the default four. */
export const SYNC_SHARDS = 2;

export const syncConfig = (): ReturnType<typeof testConfig> => testConfig({ shards: SYNC_SHARDS, rootDifficulty: SYNC_ROOT_DIFFICULTY });

export function openNet(): Promise<LocalNet> {
  return LocalNet.open(syncConfig());
}

/** `rounds` times: a block on every shard, then a root block confirming them. */
export async function mineRounds(net: LocalNet, rounds: number): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (const id of net.ids) await net.mineShard(id);
    await net.mineRoot();
  }
}

/** Copies `from`'s canonical root blocks 1..height, with the minor blocks they list, into `to`. */
export async function copyChain(from: LocalNet, to: LocalNet, height: number): Promise<void> {
  to.now = Math.max(to.now, from.now);
  for (let h = 1; h <= height; h++) await copyRootBlock(from, to, from.root.index.canonicalAt(h)!.block);
}

/** Adds `rb` of `from`, with the minor blocks it lists, to `to` (its parent must be there). */
export async function copyRootBlock(from: LocalNet, to: LocalNet, rb: RootBlock): Promise<void> {
  to.now = Math.max(to.now, from.now);
  for (const mh of rb.minorHeaders) await to.addShardBlock(mh.branch, (await from.chain(mh.branch).getBlock(minorHeaderHash(mh)))!);
  await to.addRootBlock(rb);
}

export const tipHeader = (net: LocalNet): RootHeader => net.root.tip.block.header;
export const tipHash = (net: LocalNet): Bytes => net.root.tip.hash;

/** Ways a fake peer misbehaves; each hook sees the honest answer and returns what to send. */
export interface Misbehaviour {
  headers?: (q: HeaderQuery, honest: RootHeadersReply, call: number) => RootHeadersReply;
  rootBlocks?: (hashes: readonly Bytes[], honest: RootBlock[], call: number) => RootBlock[];
  minorBlocks?: (shard: number, hashes: readonly Bytes[], honest: MinorBlock[], call: number) => MinorBlock[];
  shardHeaders?: (shard: number, q: HeaderQuery, honest: ShardHeadersReply) => ShardHeadersReply;
  /** Bundling sources (`bundle: true`): the shard blocks sent with the root blocks, given the honest bundle (undefined when none was asked for). */
  bundle?: (honest: MinorBlock[][] | undefined, blocks: readonly RootBlock[]) => MinorBlock[][] | undefined;
  /** True: this request is never answered. */
  hang?: (kind: 'headers' | 'rootBlocks' | 'minorBlocks', call: number) => boolean;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** A peer serving `net`'s canonical chain. */
export class NetSource implements SyncSource {
  readonly reportsTransportFaults: boolean;
  readonly log: string[] = [];
  private calls = { headers: 0, rootBlocks: 0, minorBlocks: 0 };

  readonly id: string;

  /** GET_ROOT_BLOCKS with a shard-block bundle: only a source made with `bundle: true` has it (else sync asks getRootBlocks). */
  readonly getRootBundle?: (hashes: readonly Bytes[], shardBytes: number | undefined) => Promise<RootBlocksReply>;

  /** `tipAt`: serve the chain as if its tip were the canonical block at that height (a peer that is behind). */
  constructor(readonly net: LocalNet, readonly bad: Misbehaviour = {}, o: { id?: string; reports?: boolean; tipAt?: number; bundle?: boolean } = {}) {
    this.id = o.id ?? 'peer';
    this.reportsTransportFaults = o.reports ?? false;
    this.tipAt = o.tipAt;
    if (o.bundle) this.getRootBundle = (hashes, shardBytes) => this.rootBundle(hashes, shardBytes);
  }

  /** The root blocks, and (when asked) the listed shard blocks as a server bundles them (bundleShardBlocks). */
  private async rootBundle(hashes: readonly Bytes[], shardBytes: number | undefined): Promise<RootBlocksReply> {
    const blocks = await this.getRootBlocks(hashes);
    this.log.push(`bundle ${shardBytes ?? 'none'}`);
    let honest: MinorBlock[][] | undefined;
    if (shardBytes !== undefined) {
      const found = new Map<string, BundleItem>();
      for (const mh of blocks.flatMap((b) => b.minorHeaders)) {
        const block = await this.net.chain(mh.branch).getBlock(minorHeaderHash(mh));
        if (block) found.set(keyOf(minorHeaderHash(mh)), { block, bytes: encodeMinorBlock(block).length });
      }
      honest = bundleShardBlocks(blocks, shardBytes, (h) => found.get(keyOf(h)));
    }
    return { blocks, shardBlocks: this.bad.bundle ? this.bad.bundle(honest, blocks) : honest };
  }

  private readonly tipAt: number | undefined;

  /** The chain as served: the whole canonical chain, or its prefix up to `tipAt`. */
  private view(): RootChainView<RootEntry> {
    const idx = this.net.root.index;
    const top = this.tipAt;
    if (top === undefined) return idx;
    return {
      tip: idx.canonicalAt(top)!,
      get: (h) => { const e = idx.get(h); return e && e.height <= top ? e : undefined; },
      canonicalAt: (h) => (h <= top ? idx.canonicalAt(h) : undefined),
      isCanonical: (e) => e.height <= top && idx.isCanonical(e),
    };
  }

  async getRootHeaders(q: HeaderQuery): Promise<RootHeadersReply> {
    const call = this.calls.headers++;
    this.log.push(`headers ${q.origin.kind === 'height' ? q.origin.height : 'hash'} limit ${q.limit} skip ${q.skip} ${q.direction}`);
    if (this.bad.hang?.('headers', call)) return never();
    const view = this.view();
    const honest = { rootTip: view.tip.block.header, headers: serveRootHeaders(view, q) };
    return this.bad.headers ? this.bad.headers(q, honest, call) : honest;
  }

  async getRootBlocks(hashes: readonly Bytes[]): Promise<readonly RootBlock[]> {
    const call = this.calls.rootBlocks++;
    this.log.push(`rootBlocks ${hashes.length}`);
    if (this.bad.hang?.('rootBlocks', call)) return never();
    const honest = serveRootBlocks(this.view(), hashes);
    return this.bad.rootBlocks ? this.bad.rootBlocks(hashes, honest, call) : honest;
  }

  async getMinorBlocks(shard: number, hashes: readonly Bytes[]): Promise<readonly MinorBlock[]> {
    const call = this.calls.minorBlocks++;
    this.log.push(`minorBlocks 0x${shard.toString(16)} ${hashes.length}`);
    if (this.bad.hang?.('minorBlocks', call)) return never();
    const honest: MinorBlock[] = [];
    for (const h of hashes.slice(0, SERVE_SHARD_BLOCKS)) {
      const b = await this.net.chain(shard).getBlock(h);
      if (b) honest.push(b);
    }
    return this.bad.minorBlocks ? this.bad.minorBlocks(shard, hashes, honest, call) : honest;
  }

  /** Canonical headers of `shard` from the origin, as a server answers (toward genesis or the tip, every skip + 1). */
  async getShardHeaders(shard: number, q: HeaderQuery): Promise<ShardHeadersReply> {
    this.log.push(`shardHeaders 0x${shard.toString(16)} limit ${q.limit} ${q.direction}`);
    const c = this.net.chain(shard);
    const origin = q.origin.kind === 'height' ? c.canonicalAt(q.origin.height) : c.block(q.origin.hash);
    const headers: MinorHeader[] = [];
    if (origin && c.canonicalAt(origin.header.height) === origin) {
      const step = (q.skip + 1) * (q.direction === 'toTip' ? 1 : -1);
      for (let h = origin.header.height; headers.length < Math.min(q.limit, SERVE_SHARD_HEADERS) && h >= 0 && h <= c.tip.header.height; h += step) {
        headers.push(c.canonicalAt(h)!.header);
      }
    }
    const honest = { rootTip: this.net.root.tip.block.header, shardTip: c.tip.header, headers };
    return this.bad.shardHeaders ? this.bad.shardHeaders(shard, q, honest) : honest;
  }
}

/** What a NetTarget was asked to do, in order. */
export interface TargetLog {
  readonly calls: string[];
}

/** Our side: `net`'s root chain and shards, with hooks that can refuse. */
export function netTarget(net: LocalNet, refuse: { minor?: (shard: number, blocks: readonly MinorBlock[]) => void; root?: (rb: RootBlock) => void } = {}): SyncTarget & TargetLog {
  const calls: string[] = [];
  return {
    calls,
    rootTip: () => ({ hash: net.root.tip.hash, height: net.root.tip.height, td: net.root.tip.td }),
    hasRootBlock: (h) => net.root.index.has(h),
    rootHeader: (h) => net.root.index.get(h)?.block.header,
    ...rootHeaderRules(net.cfg.root, () => net.now),
    hasMinorBlock: (h) => net.root.isCommitted(h),
    addMinorBlocks: async (shard, blocks) => {
      calls.push(`minor 0x${shard.toString(16)} ${blocks.map((b) => b.header.height).join(',')}`);
      refuse.minor?.(shard, blocks);
      for (const b of blocks) await net.addShardBlock(shard, b);
    },
    addRootBlock: async (rb) => {
      calls.push(`root ${rb.header.height}`);
      refuse.root?.(rb);
      await net.addRootBlock(rb);
    },
  };
}

/** Two nets: `peer` with `shared` rounds then `peerOwn` more; `local` with the shared ones then `localOwn` of its own (a later clock, so different blocks). */
export async function forkedPair(shared: number, peerOwn: number, localOwn: number): Promise<{ peer: LocalNet; local: LocalNet }> {
  const peer = await openNet();
  const local = await openNet();
  await mineRounds(peer, shared);
  await copyChain(peer, local, shared);
  local.now = peer.now + 100;
  await mineRounds(local, localOwn);
  await mineRounds(peer, peerOwn);
  local.now = Math.max(local.now, peer.now);
  peer.now = local.now;
  return { peer, local };
}

export const hashOf = rootHeaderHash;
