/** The coordinator's options, events and status (coordinator.ts re-exports them). */
import type { Address } from '../core/address.js';
import type { Bytes } from '../core/bytes.js';
import type { Config } from '../core/config.js';
import type { ChainError } from '../core/errors.js';
import type { RootBlock } from '../core/rootBlock.js';
import type { KernelChoice } from '../pow/types.js';
import type { BlockEvent, ShardStatus } from '../shard/protocol.js';
import type { P2pView } from './p2pView.js';

export interface CoordinatorOptions {
  readonly config: Config;
  /** null: everything in memory. */
  readonly datadir: string | null;
  readonly kernel?: KernelChoice;
  /**
   * Where block rewards go: this recipient on every shard (with the shard's own key), and this
   * address for root blocks (its key must name a shard). Default: dev account #0.
   */
  readonly coinbase?: Address;
  /** Run shards in this thread instead of Piscina workers (tests). */
  readonly inProcess?: boolean;
  readonly log?: (line: string) => void;
  /** Called when a shard worker dies: the node must stop. */
  readonly onFatal?: (e: ChainError) => void;
  /**
   * Long in-memory runs: shards keep bodies and lists only this many blocks back, and the root
   * chain keeps minor headers only a few root blocks back (coordinator.ts ROOT_PRUNE_DEPTH).
   */
  readonly retainBlocks?: number;
  /** What the coordinator sees of P2P (the root sealing loop holds while it syncs); none by default. */
  readonly p2p?: P2pView;
}

/** What the coordinator announces. */
export type CoordinatorEvents = {
  /** A shard block was added and committed (`shardId`: its full shard id). */
  readonly block: [shardId: number, ev: BlockEvent];
  /** A root block became the root tip. */
  readonly rootTip: [rb: RootBlock];
  /** A shard block this node sealed (with relay on) or one its external miners submitted, encoded: P2P announces it. */
  readonly sealedBlock: [shardId: number, block: Bytes];
  /** Transfers admitted into shard `shardId`'s pool here (with relay on), encoded: P2P relays them. */
  readonly txs: [shardId: number, txs: Bytes[]];
};

export interface NodeStatus {
  readonly time: number;
  readonly root: { readonly height: number; readonly hash: Bytes; readonly hashes: number; readonly difficulty: bigint; readonly createTime: number };
  readonly shards: ShardStatus[];
}
