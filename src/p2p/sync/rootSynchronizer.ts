/**
 * The root synchronizer (reference/sync.md §1.1 "Target = best peer" and "Peer switch", §1.2
 * "Queue", §1.4 "Synchronizer"): one pending tip per peer (a heavier one replaces it), one task at
 * a time, the heaviest pending tip first, and only tips heavier than ours.
 *
 * - Every task fetches bodies from all the peers whose tip is heavy enough (its SyncPool), not
 *   only from its own peer; a helper's fault is reported at once and costs only its batch.
 * - A heavier tip from another peer retargets a running task: the task ends (`retarget`) at its
 *   next step, its peer's tip goes back to the queue, and the heaviest runs next. Nothing
 *   validated is lost: the blocks added stay, and the next task's ancestor search starts from them;
 *   the bodies it downloaded and did not apply are carried to the next task (carriedBodies.ts), and
 *   the headers it checked are not put through the header rules again (checkedHeaders.ts).
 * - The task's peer leaving: the bodies still missing come from the other peers at once (no
 *   waiting for its requests to time out); when none of them is as heavy, the task ends at once
 *   and the next best pending peer takes over.
 * - A task that ends in a fault is reported through `onFault` (unless the peer's transport
 *   already reported it) and the next peer is tried: a bad peer never stops sync with the others.
 */
import { internal } from '../../core/errors.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import type { PeerFault } from '../peerFault.js';
import { CarriedBodies } from './carriedBodies.js';
import { CheckedHeaders } from './checkedHeaders.js';
import type { SyncPool } from './syncContext.js';
import { DEFAULT_SYNC_OPTIONS } from './syncOptions.js';
import { stopAborted, SyncStop, type SyncResult } from './syncOutcome.js';
import { syncRoot, type SyncRootOptions } from './syncRootTask.js';
import type { SyncSource } from './syncSource.js';
import type { SyncTarget } from './syncTarget.js';

export interface SynchronizerHooks {
  /** A peer's fault its transport has not reported: penalise it (disconnect and ban if `fault.fatal`). */
  onFault(peerId: string, fault: PeerFault): void;
  /** Every task's end (logs, stats). */
  onResult?(peerId: string, tip: RootHeader, result: SyncResult): void;
}

interface Known {
  readonly source: SyncSource;
  readonly tip: RootHeader;
}

/** The running task's link to the synchronizer. */
interface Running {
  readonly peerId: string;
  readonly tip: RootHeader;
  stop: SyncStop | undefined;
  readonly stopped: Promise<void>;
  end(stop: SyncStop): void;
}

export class RootSynchronizer {
  private readonly pending = new Map<string, Known>();
  /** Bodies a task downloaded and did not apply, for the next (carriedBodies.ts): a fetch-ahead window's worth. */
  private readonly carried: CarriedBodies;
  /** Headers a task checked, for the next (checkedHeaders.ts): the header window's worth. */
  private readonly checked: CheckedHeaders;
  /** Every peer's latest tip: the body sources of a task. */
  private readonly known = new Map<string, Known>();
  private running: Promise<void> | undefined;
  private task: Running | undefined;

  constructor(private readonly target: SyncTarget, private readonly hooks: SynchronizerHooks, private readonly options: SyncRootOptions = {}) {
    const o = { ...DEFAULT_SYNC_OPTIONS, ...options };
    this.carried = new CarriedBodies(o.maxBatchesAhead * o.bodyBatch);
    this.checked = new CheckedHeaders(o.headerWindow);
  }

  /** The peer whose task runs now. */
  get current(): string | undefined {
    return this.task?.peerId;
  }

  /** A peer's root tip (HELLO, NEW_ROOT_TIP): queued if heavier than ours and than the peer's pending one. */
  onPeerTip(peerId: string, source: SyncSource, tip: RootHeader): void {
    const had = this.known.get(peerId);
    if (!had || had.tip.totalDifficulty < tip.totalDifficulty) this.known.set(peerId, { source, tip });
    if (!this.worthSyncing(tip)) return;
    const prev = this.pending.get(peerId);
    if (prev && prev.tip.totalDifficulty >= tip.totalDifficulty) return;
    this.pending.set(peerId, { source, tip });
    const t = this.task;
    if (t && t.peerId !== peerId && tip.totalDifficulty > t.tip.totalDifficulty) {
      t.end(new SyncStop({ kind: 'retarget', tip: t.tip })); // a heavier peer: switch to it, keeping what was added
    }
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      this.task = undefined;
    });
  }

  /**
   * The peer left: its tips go. A task syncing from it goes on with the other peers whose tips are
   * as heavy (its checked headers are kept; its next header request, if any, ends it); when no
   * such peer is left it ends at once and the next best pending tip takes over.
   */
  removePeer(peerId: string): void {
    this.pending.delete(peerId);
    this.known.delete(peerId);
    const t = this.task;
    if (t?.peerId !== peerId) return;
    const heavyEnough = [...this.known.values()].some((k) => k.tip.totalDifficulty >= t.tip.totalDifficulty);
    if (!heavyEnough) t.end(stopAborted(internal('P2P_PEER_CLOSED', `peer ${peerId.slice(0, 10)} left`)));
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
  private next(): [string, Known] | undefined {
    let best: [string, Known] | undefined;
    for (const [id, p] of [...this.pending]) {
      if (!this.worthSyncing(p.tip)) this.pending.delete(id);
      else if (!best || p.tip.totalDifficulty > best[1].tip.totalDifficulty) best = [id, p];
    }
    return best;
  }

  private newTask(peerId: string, tip: RootHeader): Running {
    let wake: () => void = () => undefined;
    const t: Running = {
      peerId, tip, stop: undefined,
      stopped: new Promise<void>((r) => { wake = r; }),
      end: (stop) => {
        t.stop ??= stop;
        wake();
      },
    };
    return t;
  }

  private pool(t: Running): SyncPool {
    return {
      primaryId: t.peerId,
      peers: () => [...this.known].map(([id, k]) => ({ id, source: k.source, tipTd: k.tip.totalDifficulty })),
      onFault: (id, fault, reported) => {
        if (!reported) this.safely(() => this.hooks.onFault(id, fault));
        if (fault.fatal) {
          this.known.delete(id);
          this.pending.delete(id);
        }
      },
      stopped: () => t.stop,
      whenStopped: t.stopped,
      carried: this.carried,
      checked: this.checked,
    };
  }

  private async drain(): Promise<void> {
    for (let job = this.next(); job; job = this.next()) {
      const [peerId, { source, tip }] = job;
      this.pending.delete(peerId);
      const t = this.newTask(peerId, tip);
      this.task = t;
      const result = await syncRoot(source, this.target, tip, { ...this.options, pool: this.pool(t) });
      this.task = undefined;
      const o = result.outcome;
      if (o.kind === 'fault' && !o.reported) this.safely(() => this.hooks.onFault(peerId, o.fault));
      if (o.kind === 'fault') {
        // Whatever it announced meanwhile is not trusted, nor is it asked for bodies until it announces again.
        this.pending.delete(peerId);
        this.known.delete(peerId);
      }
      if (o.kind === 'retarget' && !this.pending.has(peerId) && this.known.has(peerId)) this.pending.set(peerId, { source, tip: o.tip });
      if (o.kind === 'synced') {
        this.carried.clear();
        this.checked.clear();
      }
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
