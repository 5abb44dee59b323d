/**
 * The root synchronizer (reference/sync.md §1.2 "Queue", §1.4 "Synchronizer"): one pending tip
 * per peer (a heavier one replaces it), one task at a time, the heaviest pending tip first, and
 * only tips heavier than ours. A task that ends in a fault is reported through `onFault` (unless
 * the peer's transport already reported it) and the next peer is tried: a bad peer costs at most
 * one bounded task and never stops sync with the others. A `retarget` queues the peer's new tip.
 * Nothing is retried by itself after an abort: the peer's next announcement queues it again.
 */
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import type { PeerFault } from '../peerFault.js';
import type { SyncResult } from './syncOutcome.js';
import { syncRoot, type SyncRootOptions } from './syncRootTask.js';
import type { SyncSource } from './syncSource.js';
import type { SyncTarget } from './syncTarget.js';

export interface SynchronizerHooks {
  /** A peer's fault its transport has not reported: penalise it (disconnect and ban if `fault.fatal`). */
  onFault(peerId: string, fault: PeerFault): void;
  /** Every task's end (logs, stats). */
  onResult?(peerId: string, tip: RootHeader, result: SyncResult): void;
}

interface Pending {
  readonly source: SyncSource;
  readonly tip: RootHeader;
}

export class RootSynchronizer {
  private readonly pending = new Map<string, Pending>();
  private running: Promise<void> | undefined;
  /** The peer whose task runs now. */
  current: string | undefined;

  constructor(private readonly target: SyncTarget, private readonly hooks: SynchronizerHooks, private readonly options: SyncRootOptions = {}) {}

  /** A peer's root tip (HELLO, NEW_ROOT_TIP): queued if heavier than ours and than the peer's pending one. */
  onPeerTip(peerId: string, source: SyncSource, tip: RootHeader): void {
    if (!this.worthSyncing(tip)) return;
    const prev = this.pending.get(peerId);
    if (prev && prev.tip.totalDifficulty >= tip.totalDifficulty) return;
    this.pending.set(peerId, { source, tip });
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      this.current = undefined;
    });
  }

  /** The peer left: its pending tip goes (a running task ends on its own when its requests fail). */
  removePeer(peerId: string): void {
    this.pending.delete(peerId);
  }

  get pendingPeers(): string[] {
    return [...this.pending.keys()];
  }

  /** Resolves once no task runs and none is pending that can run. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  private worthSyncing(tip: RootHeader): boolean {
    return tip.totalDifficulty > this.target.rootTip().td && !this.target.hasRootBlock(rootHeaderHash(tip));
  }

  /** The heaviest pending tip worth syncing to; tips no longer worth it are dropped. */
  private next(): [string, Pending] | undefined {
    let best: [string, Pending] | undefined;
    for (const [id, p] of [...this.pending]) {
      if (!this.worthSyncing(p.tip)) this.pending.delete(id);
      else if (!best || p.tip.totalDifficulty > best[1].tip.totalDifficulty) best = [id, p];
    }
    return best;
  }

  private async drain(): Promise<void> {
    for (let job = this.next(); job; job = this.next()) {
      const [peerId, { source, tip }] = job;
      this.pending.delete(peerId);
      this.current = peerId;
      const result = await syncRoot(source, this.target, tip, this.options);
      this.current = undefined;
      const o = result.outcome;
      if (o.kind === 'fault' && !o.reported) this.safely(() => this.hooks.onFault(peerId, o.fault));
      if (o.kind === 'fault') this.pending.delete(peerId); // whatever it announced meanwhile is not trusted
      if (o.kind === 'retarget' && !this.pending.has(peerId)) this.pending.set(peerId, { source, tip: o.tip });
      this.safely(() => this.hooks.onResult?.(peerId, tip, result));
    }
  }

  /** A hook's exception must not stop the queue. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // the owner's bug; sync goes on
    }
  }
}
