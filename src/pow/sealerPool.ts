/**
 * Root sealing for the coordinator (DESIGN §1): the nonce search runs in the stateless sealer
 * pool (workers/sealer.ts, task `sealSlice`), in short tasks so that none ever needs aborting;
 * `simulate` waits an exponential delay instead (pow/sealSchedule.ts). In-process mode (tests) seals in this thread.
 */
import { Piscina } from 'piscina';
import type { Bytes } from '../core/bytes.js';
import type { ConsensusParams } from '../core/config.js';
import { sealTarget } from '../consensus/target.js';
import { simulatedDelayMs } from './sealSchedule.js';
import { selectKernel } from './select.js';
import { sealSlice } from './slice.js';
import type { Kernel, KernelChoice, SealHit } from './types.js';

export const SEALER_WORKER_URL = new URL('../../workers/sealer.js', import.meta.url).href;

export interface SealRequest {
  readonly sealHash: Bytes;
  readonly difficulty: bigint;
  readonly startNonce: bigint;
  readonly height: number;
}

export interface SealSliceResult {
  readonly found: SealHit | null;
  readonly hashes: number;
  readonly nextNonce: bigint;
}

/** What the sealer worker's `sealSlice` task takes and returns. */
export interface SealSliceTask {
  readonly algo: 'doublesha256' | 'qkchash';
  readonly kernel: KernelChoice;
  readonly sealHash: Bytes;
  readonly target: bigint;
  readonly startNonce: bigint;
  readonly height: number;
  readonly maxMs: number;
}

export class SealerPool {
  private readonly pool: Piscina | null;
  private simulatedDue = 0;
  private local: Kernel | null = null;

  constructor(private readonly params: ConsensusParams, private readonly kernel: KernelChoice, inProcess: boolean) {
    this.pool = params.algo === 'simulate' || inProcess ? null : new Piscina({ filename: SEALER_WORKER_URL, minThreads: 1, maxThreads: 1, idleTimeout: Number.POSITIVE_INFINITY });
  }

  async seal(job: SealRequest, maxMs: number): Promise<SealSliceResult> {
    if (this.params.algo === 'simulate') return this.simulate(job, maxMs);
    const task: SealSliceTask = {
      algo: this.params.algo, kernel: this.kernel, sealHash: job.sealHash, target: sealTarget(this.params.algo, job.difficulty),
      startNonce: job.startNonce, height: job.height, maxMs,
    };
    if (this.pool) return (await this.pool.run(task, { name: 'sealSlice' })) as SealSliceResult;
    this.local ??= selectKernel(task.algo, task.kernel, () => undefined);
    const r = sealSlice(this.local, task, maxMs);
    await new Promise((res) => setImmediate(res));
    return r;
  }

  private async simulate(job: SealRequest, maxMs: number): Promise<SealSliceResult> {
    const now = Date.now();
    if (this.simulatedDue === 0) this.simulatedDue = now + simulatedDelayMs(this.params.targetBlockTime);
    const wait = Math.min(this.simulatedDue - now, maxMs);
    if (wait > 0) {
      await new Promise((r) => setTimeout(r, wait));
      return { found: null, hashes: 0, nextNonce: job.startNonce };
    }
    this.simulatedDue = 0;
    return { found: { nonce: job.startNonce, mixhash: new Uint8Array(32), digest: new Uint8Array(32) }, hashes: 0, nextNonce: job.startNonce + 1n };
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
