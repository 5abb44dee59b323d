/**
 * The fast path of a new shard block (DESIGN §10, QuarkChain's `handle_new_block`). A block a
 * peer announces is, in order: dropped when seen before (a bounded seen-set: a block is relayed
 * once, whatever path it came by), dropped while its shard syncs (the sync brings it), dropped
 * without relay when more than STALE_HEIGHT_BOUND below our tip, dropped when stored already;
 * held while its parent is unknown (and the parent asked of the sender) or its root block is
 * unknown; then its header (time, difficulty, seal) is checked in the shard worker; only then it
 * is relayed to every peer but the sender and added through the normal commit path.
 *
 * Faults: a bad seal is fatal; another bad header is the sender's fault but not fatal; a sealed
 * block whose body then fails costs the sender (it may have relayed in good faith: not fatal);
 * "not yet" holds the block, without penalty. A block this node made (sealed or submitted) is
 * announced to every peer at once. Pure orchestration over hooks: no sockets, no threads.
 */
import { keyOf, type Bytes } from '../../core/bytes.js';
import { ChainError } from '../../core/errors.js';
import { SEAL_CODES } from '../sync/checkHeaderChain.js';
import { minorHeaderHash, type MinorBlock } from '../../core/minorBlock.js';
import { BoundedSet } from '../boundedSet.js';
import { OrphanPool } from '../orphanPool.js';
import { peerFault, type PeerFault } from '../peerFault.js';

/** Blocks remembered as seen: at 64 shards × one block per ~3 s this covers well over the last minute. */
export const SEEN_BLOCKS = 4_096;
/** A block this far below our shard tip is stale: no one builds on it, so it is neither added nor relayed. */
export const STALE_HEIGHT_BOUND = 8;
/** Blocks held for a missing parent or root block: a bounded wait (a peer cannot fill memory with blocks that never connect). */
export const MAX_HELD_BLOCKS = 256;
/** A held block older than this is dropped: its parent or root block would have come by sync or relay by then. */
export const HELD_BLOCK_MAX_AGE_MS = 60_000;

export interface BlockRelayHooks {
  shardSyncing(shard: number): boolean;
  shardTipHeight(shard: number): number;
  /** Stored by its shard (any fork). */
  hasBlock(shard: number, hash: Bytes): boolean;
  hasRootBlock(hash: Bytes): boolean;
  /** Time, difficulty and seal against the parent, in the shard worker; throws its coded refusal. */
  checkHeader(shard: number, block: MinorBlock): Promise<void>;
  /** Adds through the normal add/commit path; throws its coded refusal. */
  add(shard: number, block: MinorBlock): Promise<void>;
  /** NEW_SHARD_BLOCK to every peer but `except`. */
  relay(shard: number, block: MinorBlock, except: string | null): void;
  /** GET_SHARD_BLOCKS of `hash` from `peer`; what comes back goes to `onPeerBlock`. */
  fetchBlock(peer: string, shard: number, hash: Bytes): void;
  fault(peer: string, fault: PeerFault): void;
  log(line: string): void;
  now(): number;
}

/** Why a peer's block went no further (counters for logs and tests). */
export type DropReason = 'seen' | 'syncing' | 'stale' | 'known' | 'held' | 'refused';

interface Pending {
  readonly peer: string;
  readonly shard: number;
  readonly block: MinorBlock;
}

export class BlockRelay {
  /** Blocks taken up (being checked, or done with): a second copy is dropped. */
  private readonly seen = new BoundedSet(SEEN_BLOCKS);
  /** Blocks announced to peers: each at most once, even when a "not yet" makes us take it up again. */
  private readonly relayed = new BoundedSet(SEEN_BLOCKS);
  private readonly held = new OrphanPool<Pending>(MAX_HELD_BLOCKS, HELD_BLOCK_MAX_AGE_MS);
  readonly dropped: Record<DropReason, number> = { seen: 0, syncing: 0, stale: 0, known: 0, held: 0, refused: 0 };

  constructor(private readonly h: BlockRelayHooks) {}

  /** A block this node made (sealed, or submitted by a miner): announced to every peer once. */
  onLocalBlock(shard: number, block: MinorBlock): void {
    const k = keyOf(minorHeaderHash(block.header));
    this.seen.add(k);
    if (this.relayed.add(k)) this.h.relay(shard, block, null);
    this.release(k);
  }

  /** True when the fast path took this block up (being checked or added, or done with): a shard sync to it would only duplicate the work. */
  tookUp(hash: Bytes): boolean {
    return this.seen.has(keyOf(hash));
  }

  /** A root block arrived: the blocks held for it go on. */
  onRootBlock(hash: Bytes): void {
    this.release(keyOf(hash));
  }

  /** A shard block was stored (by any path): the blocks held for it as their parent go on. */
  onBlockStored(hash: Bytes): void {
    this.release(keyOf(hash));
  }

  /** A peer's NEW_SHARD_BLOCK (or a block it served after we asked for a missing parent). */
  async onPeerBlock(peer: string, shard: number, block: MinorBlock): Promise<void> {
    const hash = minorHeaderHash(block.header);
    const k = keyOf(hash);
    if (this.seen.has(k) || this.held.has(k)) return this.drop('seen');
    if (this.h.shardSyncing(shard)) return this.drop('syncing');
    if (block.header.height + STALE_HEIGHT_BOUND < this.h.shardTipHeight(shard)) return this.drop('stale');
    if (this.h.hasBlock(shard, hash)) {
      this.seen.add(k);
      return this.drop('known');
    }
    const parent = block.header.hashPrevMinorBlock;
    if (!this.h.hasBlock(shard, parent)) {
      this.held.hold(k, keyOf(parent), { peer, shard, block }, this.h.now());
      this.h.fetchBlock(peer, shard, parent);
      return this.drop('held');
    }
    if (!this.h.hasRootBlock(block.header.hashPrevRootBlock)) {
      this.held.hold(k, keyOf(block.header.hashPrevRootBlock), { peer, shard, block }, this.h.now());
      return this.drop('held');
    }
    this.seen.add(k);
    try {
      await this.h.checkHeader(shard, block);
    } catch (e) {
      return this.refused(peer, shard, block, e, 'header');
    }
    if (this.relayed.add(k)) this.h.relay(shard, block, peer);
    try {
      await this.h.add(shard, block);
    } catch (e) {
      return this.refused(peer, shard, block, e, 'body');
    }
    this.release(k);
  }

  private refused(peer: string, shard: number, block: MinorBlock, e: unknown, stage: 'header' | 'body'): void {
    const err = ChainError.from(e);
    const where = `shard 0x${shard.toString(16)} block ${block.header.height}`;
    if (err.cls === 'notYet') {
      // Parent or root block gone missing between the checks, or a time a little ahead: wait for it
      // (taken up again when it comes, so no longer "seen").
      const k = keyOf(minorHeaderHash(block.header));
      const on = err.code === 'BLOCK_ROOT_UNKNOWN' ? block.header.hashPrevRootBlock : block.header.hashPrevMinorBlock;
      this.seen.delete(k);
      this.held.hold(k, keyOf(on), { peer, shard, block }, this.h.now());
      return this.drop('held');
    }
    this.drop('refused');
    if (err.cls === 'internal') {
      this.h.log(`p2p: ${where} from ${peer} not added (ours): ${err.message}`);
      return;
    }
    const fatal = stage === 'header' && SEAL_CODES.has(err.code);
    this.h.fault(peer, peerFault(fatal ? 'P2P_BAD_SEAL' : 'P2P_BAD_BLOCK', fatal, 'BAD_BLOCK', `${where}, ${stage}: ${err.message}`));
  }

  private release(k: string): void {
    for (const p of this.held.release(k, this.h.now())) void this.onPeerBlock(p.peer, p.shard, p.block);
  }

  private drop(why: DropReason): void {
    this.dropped[why]++;
  }
}
