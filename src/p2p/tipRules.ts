/**
 * Per-peer tip monotonicity (DESIGN §10, reference/sync.md §2 "Announcements"), as QuarkChain
 * closes the connection on each:
 * - a root tip's total difficulty never decreases, and the same TD with another hash is a fault
 *   (a peer switching between equal forks, or lying about its TD);
 * - a shard tip's root tip follows the same rule, per shard; under the same root tip, the shard
 *   height never decreases.
 * Root tips and each shard's tips are tracked apart, as QuarkChain tracks them per connection:
 * a shard announcement may carry a root tip older than a root announcement sent just before it.
 * A tip is recorded only when it passes. Every fault is fatal (reason BAD_TIP).
 */
import { equalBytes, toHex, type Bytes } from '../core/bytes.js';
import type { MinorHeader } from '../core/minorBlock.js';
import { rootHeaderHash, type RootHeader } from '../core/rootBlock.js';
import type { Hello } from './messageTypes.js';
import { OK, peerFault, type PeerDecision } from './peerFault.js';

interface RootRecord {
  readonly td: bigint;
  readonly hash: Bytes;
  readonly height: number;
}

/** What a peer last said of its tips (getPeers). */
export interface TipsSnapshot {
  readonly root: { readonly height: number; readonly hash: Bytes; readonly td: bigint } | null;
  readonly shards: readonly { readonly shardId: number; readonly height: number }[];
}

interface ShardRecord {
  readonly root: RootRecord;
  readonly height: number;
}

function checkRoot(prev: RootRecord | undefined, next: RootRecord): PeerDecision {
  if (!prev) return OK;
  if (next.td < prev.td) return peerFault('P2P_ROOT_TD_DECREASED', true, 'BAD_TIP', `root TD ${next.td} < ${prev.td}`);
  if (next.td === prev.td && !equalBytes(next.hash, prev.hash)) {
    return peerFault('P2P_ROOT_TIP_CONFLICT', true, 'BAD_TIP', `root TD ${next.td} again, with ${toHex(next.hash)} instead of ${toHex(prev.hash)}`);
  }
  return OK;
}

const rootRecord = (h: RootHeader): RootRecord => ({ td: h.totalDifficulty, hash: rootHeaderHash(h), height: h.height });

/** The tips one peer has announced. */
export class PeerTips {
  private root: RootRecord | undefined;
  private readonly shards = new Map<number, ShardRecord>();

  /** The peer's root total difficulty as last announced, if any. */
  get rootTd(): bigint | undefined {
    return this.root?.td;
  }

  /** The tips as last accepted, shards ascending. */
  snapshot(): TipsSnapshot {
    const shards = [...this.shards].map(([shardId, r]) => ({ shardId, height: r.height })).sort((a, b) => a.shardId - b.shardId);
    return { root: this.root ? { height: this.root.height, hash: this.root.hash, td: this.root.td } : null, shards };
  }

  /** A root tip the peer reports: in HELLO, NEW_ROOT_TIP, or a header response. */
  onRootTip(tip: RootHeader): PeerDecision {
    const next = rootRecord(tip);
    const d = checkRoot(this.root, next);
    if (d.ok) this.root = next;
    return d;
  }

  /** A shard tip (NEW_SHARD_TIP, or a HELLO shard tip) announced under the peer's root tip `rootTip`. */
  onShardTip(rootTip: RootHeader, shardTip: MinorHeader): PeerDecision {
    const prev = this.shards.get(shardTip.branch);
    const root = rootRecord(rootTip);
    const d = checkRoot(prev?.root, root);
    if (!d.ok) return d;
    if (prev && equalBytes(prev.root.hash, root.hash) && shardTip.height < prev.height) {
      return peerFault('P2P_SHARD_HEIGHT_DECREASED', true, 'BAD_TIP',
        `shard 0x${shardTip.branch.toString(16)} height ${shardTip.height} < ${prev.height} under the same root tip`);
    }
    this.shards.set(shardTip.branch, { root, height: shardTip.height });
    return OK;
  }

  /** All the tips of a HELLO: its root tip, then each shard tip under it; stops at the first fault. */
  onHello(hello: Hello): PeerDecision {
    const d = this.onRootTip(hello.rootTip);
    if (!d.ok) return d;
    for (const tip of hello.shardTips) {
      const s = this.onShardTip(hello.rootTip, tip);
      if (!s.ok) return s;
    }
    return OK;
  }
}
