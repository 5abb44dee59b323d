/**
 * Where sync gets blocks from: one peer, seen through three requests (DESIGN §10). A Peer is
 * adapted by PeerSyncSource (peerSyncSource.ts); unit tests use a fake over a LocalNet.
 *
 * A source rejects with a ChainError whose class says whose fault it is:
 *   invalid   the peer's (timeout, unrequested or mismatched response): penalise it
 *   notYet    try later (our own cap on requests in flight)
 *   internal  the peer is gone or we failed: blame no one
 * A source need not check what the responses say (counts, linkage, seals): sync does.
 */
import type { Bytes } from '../../core/bytes.js';
import type { MinorBlock } from '../../core/minorBlock.js';
import type { MinorHeader } from '../../core/minorBlock.js';
import type { RootBlock, RootHeader } from '../../core/rootBlock.js';
import type { HeaderQuery } from '../messageTypes.js';

/** A ROOT_HEADERS response: the peer's root tip as it answered, and the headers. */
export interface RootHeadersReply {
  readonly rootTip: RootHeader;
  readonly headers: readonly RootHeader[];
  /** The request's round trip (ms), when the source timed it: a head start was sent before sync asked for it (headStart.ts). */
  readonly roundTripMs?: number;
}

/** A ROOT_BLOCKS response: the root blocks, and the shard blocks bundled with them (only if asked for). */
export interface RootBlocksReply {
  readonly blocks: readonly RootBlock[];
  /** Per root block, a prefix of the blocks it lists (p2p/rootBundle.ts); undefined when none were sent. */
  readonly shardBlocks: readonly (readonly MinorBlock[])[] | undefined;
}

/** A root block with the minor blocks it lists that we lacked when it came, by shard (oldest first): a body download's result. */
export interface DownloadedRoot {
  readonly block: RootBlock;
  readonly minors: ReadonlyArray<readonly [number, readonly MinorBlock[]]>;
}

/** A SHARD_HEADERS response: the peer's tips as it answered, and the headers. */
export interface ShardHeadersReply {
  readonly rootTip: RootHeader;
  readonly shardTip: MinorHeader;
  readonly headers: readonly MinorHeader[];
}

export interface SyncSource {
  /** For logs and fault reports. */
  readonly id: string;
  /**
   * True when the source penalises its own transport faults (a Peer reports timeouts and
   * mismatched responses to its handler itself), so that sync's caller does not do it twice.
   */
  readonly reportsTransportFaults: boolean;
  /** GET_ROOT_HEADERS: canonical headers from `q.origin`; [] for an unknown or non-canonical origin. */
  getRootHeaders(q: HeaderQuery): Promise<RootHeadersReply>;
  /** GET_ROOT_BLOCKS: the blocks in request order, unknown ones left out. */
  getRootBlocks(hashes: readonly Bytes[]): Promise<readonly RootBlock[]>;
  /**
   * GET_ROOT_BLOCKS asking for up to `shardBytes` bytes of the listed shard blocks too (undefined:
   * none), with whatever shard blocks came; a source without it is asked `getRootBlocks`.
   */
  getRootBundle?(hashes: readonly Bytes[], shardBytes: number | undefined): Promise<RootBlocksReply>;
  /** GET_SHARD_BLOCKS on shard `shard` (a full shard id): the blocks in request order, unknown ones left out. */
  getMinorBlocks(shard: number, hashes: readonly Bytes[]): Promise<readonly MinorBlock[]>;
  /** GET_SHARD_HEADERS on shard `shard`: canonical headers from `q.origin`; [] for an unknown or non-canonical origin. */
  getShardHeaders(shard: number, q: HeaderQuery): Promise<ShardHeadersReply>;
}
