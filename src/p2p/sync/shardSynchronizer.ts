/**
 * Shard synchronizers (issue "shard P2P" item 2): per shard, one pending tip per peer (a higher
 * one replaces it), one task at a time, the highest pending tip first, and only tips above our
 * shard tip on a root block we store. While a shard's task runs or waits, that shard is
 * "syncing": its sealing pauses and announced blocks of it are dropped (the sync brings them).
 * Faults go to `onFault` unless the peer's transport reported them; a bad peer costs one bounded
 * task. Nothing is retried by itself: the peer's next tip announcement queues it again.
 */
import { minorHeaderHash, type MinorHeader } from '../../core/minorBlock.js';
import type { SyncResult } from './syncOutcome.js';
import { syncShard, type ShardSyncTarget, type SyncShardOptions } from './syncShardTask.js';
import type { SyncSource } from './syncSource.js';
import type { SynchronizerHooks } from './rootSynchronizer.js';

export interface ShardSynchronizerHooks extends Omit<SynchronizerHooks, 'onResult'> {
  onResult?(peerId: string, shard: number, tip: MinorHeader, result: SyncResult): void;
  /** A shard started or stopped syncing (sealing pauses while it does). */
  onSyncing?(shard: number, syncing: boolean): void;
}

interface Pending {
  readonly source: SyncSource;
  readonly tip: MinorHeader;
}

export class ShardSynchronizer {
  /** Per shard: pending tips by peer. */
  private readonly pending = new Map<number, Map<string, Pending>>();
  private readonly running = new Map<number, Promise<void>>();

  constructor(private readonly target: ShardSyncTarget, private readonly hooks: ShardSynchronizerHooks, private readonly options: SyncShardOptions = {}) {}

  /** A peer's shard tip (HELLO, NEW_SHARD_TIP, SHARD_HEADERS): queued when worth syncing to. */
  onPeerTip(peerId: string, source: SyncSource, tip: MinorHeader): void {
    const shard = tip.branch;
    if (!this.worthSyncing(tip)) return;
    let q = this.pending.get(shard);
    if (!q) this.pending.set(shard, (q = new Map()));
    const prev = q.get(peerId);
    if (prev && prev.tip.height >= tip.height) return;
    q.set(peerId, { source, tip });
    if (this.running.has(shard)) return;
    this.safely(() => this.hooks.onSyncing?.(shard, true));
    this.running.set(shard, this.drain(shard).finally(() => {
      this.running.delete(shard);
      this.safely(() => this.hooks.onSyncing?.(shard, false));
    }));
  }

  /** True while a task of `shard` runs or waits. */
  syncing(shard: number): boolean {
    return this.running.has(shard);
  }

  /** The shards syncing now. */
  get syncingShards(): number[] {
    return [...this.running.keys()];
  }

  removePeer(peerId: string): void {
    for (const q of this.pending.values()) q.delete(peerId);
  }

  async whenIdle(): Promise<void> {
    while (this.running.size) await Promise.all(this.running.values());
  }

  private worthSyncing(tip: MinorHeader): boolean {
    return tip.height > this.target.shardTipHeight(tip.branch) && this.target.hasRootBlock(tip.hashPrevRootBlock) &&
      !this.target.hasMinorBlock(minorHeaderHash(tip));
  }

  private next(shard: number): [string, Pending] | undefined {
    const q = this.pending.get(shard);
    let best: [string, Pending] | undefined;
    for (const [id, p] of [...(q ?? [])]) {
      if (!this.worthSyncing(p.tip)) q!.delete(id);
      else if (!best || p.tip.height > best[1].tip.height) best = [id, p];
    }
    return best;
  }

  private async drain(shard: number): Promise<void> {
    for (let job = this.next(shard); job; job = this.next(shard)) {
      const [peerId, { source, tip }] = job;
      this.pending.get(shard)!.delete(peerId);
      const result = await syncShard(source, this.target, shard, tip, this.options);
      const o = result.outcome;
      if (o.kind === 'fault' && !o.reported) this.safely(() => this.hooks.onFault(peerId, o.fault));
      if (o.kind === 'fault') this.pending.get(shard)!.delete(peerId);
      this.safely(() => this.hooks.onResult?.(peerId, shard, tip, result));
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // the owner's bug; sync goes on
    }
  }
}
