/**
 * The root sealing loop (DESIGN §1, §8): builds a root block candidate from the committed
 * headers, seals it slice by slice in the sealer pool and adds what it finds through the
 * coordinator's path. The candidate follows the shared rules of pow/sealSchedule.ts: rebuilt on
 * a new tip, on new committed headers, and at least every second. While P2P syncs the loop seals
 * nothing: a block sealed on the stale tip would only be orphaned by the peer's heavier chain.
 */
import { ChainError } from '../core/errors.js';
import { rootSealHash, type RootBlock } from '../core/rootBlock.js';
import type { SealRequest, SealSliceResult } from '../pow/sealerPool.js';
import { isStale, randomStartNonce, tipAheadWaitMs, type CandidateStamp, type Rand } from '../pow/sealSchedule.js';

/** Sealer task length: short tasks, because a running Piscina task is never aborted. */
export const ROOT_SEAL_SLICE_MS = 200;
/** How often a loop held by a sync looks again. */
export const ROOT_HOLD_POLL_MS = 100;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** What the loop reads and calls; the coordinator passes its root chain, sealer pool and add path. */
export interface RootSealDeps {
  /** The root tip: map key and timestamp (seconds). */
  tip(): { readonly key: string; readonly createTime: number };
  /** A counter that moves whenever a shard reports a new committed header. */
  headersSeen(): number;
  syncing(): boolean;
  build(nowSec: number): RootBlock;
  seal(job: SealRequest, maxMs: number): Promise<SealSliceResult>;
  add(rb: RootBlock): Promise<unknown>;
  log(line: string): void;
  readonly clock?: Clock;
  readonly rand?: Rand;
}

/** The loop's next move, decided from what it sees now. */
export type RootSealStep =
  | { readonly kind: 'hold' }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'build' }
  | { readonly kind: 'seal' };

export interface RootSealView {
  readonly syncing: boolean;
  readonly nowMs: number;
  readonly tipKey: string;
  readonly tipCreateTime: number;
  readonly headersSeen: number;
  readonly candidate: CandidateStamp | null;
}

/** Hold while syncing; wait while the tip is ahead of the clock; rebuild a stale candidate; else seal on. */
export function rootSealStep(v: RootSealView): RootSealStep {
  if (v.syncing) return { kind: 'hold' };
  const ahead = tipAheadWaitMs(v.tipCreateTime, v.nowMs);
  if (ahead > 0) return { kind: 'wait', ms: ahead };
  return isStale(v.candidate, v.nowMs, v.headersSeen, v.tipKey) ? { kind: 'build' } : { kind: 'seal' };
}

interface Candidate extends CandidateStamp {
  readonly block: RootBlock;
}

export class RootSealLoop {
  /** Nonces tried since start (the status line's root hash rate). */
  hashes = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  constructor(private readonly d: RootSealDeps) {
    this.clock = d.clock ?? systemClock;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the current slice (and add, if one is running). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    let cand: Candidate | null = null;
    let nonce = randomStartNonce(this.d.rand);
    while (this.running) {
      const tip = this.d.tip();
      const now = this.clock.now();
      const step = rootSealStep({ syncing: this.d.syncing(), nowMs: now, tipKey: tip.key, tipCreateTime: tip.createTime, headersSeen: this.d.headersSeen(), candidate: cand });
      if (step.kind === 'hold') { cand = null; await this.clock.sleep(ROOT_HOLD_POLL_MS); continue; }
      if (step.kind === 'wait') { await this.clock.sleep(step.ms); continue; }
      if (step.kind === 'build') {
        cand = { block: this.d.build(Math.floor(now / 1000)), madeAtMs: now, tipKey: tip.key, gen: this.d.headersSeen() };
      }
      const c: Candidate = cand!;
      const h = c.block.header;
      const r = await this.d.seal({ sealHash: rootSealHash(h), difficulty: h.difficulty, startNonce: nonce, height: h.height }, ROOT_SEAL_SLICE_MS);
      this.hashes += r.hashes;
      nonce = r.nextNonce;
      if (!r.found || !this.running || this.d.syncing()) continue;
      cand = null;
      try {
        await this.d.add({ ...c.block, header: { ...h, nonce: r.found.nonce, mixhash: r.found.mixhash } });
      } catch (e) {
        this.d.log(`coordinator: mined root block rejected: ${ChainError.from(e).message}`);
      }
    }
  }
}
