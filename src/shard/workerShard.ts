/**
 * The `Shard` interface over a Piscina pool with exactly one thread (DESIGN §1): the shard's
 * state lives in that thread. `atomics: 'disabled'` because piscina's default ('sync') parks an
 * idle worker in Atomics.wait, which would stop its ring consumer, timers and LevelDB callbacks
 * between tasks (test/integration/workerShard.test.ts proves the worker keeps consuming). A
 * worker that dies is reported through `onFatal`, never silently replaced by a blank shard.
 * Every API method is one typed `call` (shardApi.ts): name and arguments tuple as the task.
 */
import { Piscina } from 'piscina';
import { ChainError, internal } from '../core/errors.js';
import type { Result, ShardApi, ShardInit, ShardWorkerApi, Shard } from './protocol.js';
import { apiTable, type ArgsOf, type ReplyOf } from './shardApi.js';

/** Tasks one shard thread serves at once: a long poll, queries and blocks run side by side. */
const CONCURRENT_TASKS = 16;

export const SHARD_WORKER_URL = new URL('../../workers/shard.js', import.meta.url).href;

// The API methods come from `apiTable` (assigned in the constructor): declared here by merging.
export interface WorkerShard extends ShardApi {}

export class WorkerShard implements Shard {
  readonly shardId: number;
  private readonly pool: Piscina;
  private dead: ChainError | null = null;
  private closing = false;

  constructor(init: ShardInit, onFatal: (e: ChainError) => void) {
    this.shardId = init.shardId;
    this.pool = new Piscina({
      filename: SHARD_WORKER_URL,
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: CONCURRENT_TASKS,
      atomics: 'disabled',
      workerData: init,
    });
    const die = (why: string): void => {
      if (this.closing || this.dead) return;
      this.dead = internal('SHARD_WORKER_DIED', `shard 0x${this.shardId.toString(16)} worker died: ${why}`);
      onFatal(this.dead);
    };
    this.pool.on('error', (e: unknown) => die(e instanceof Error ? e.message : String(e)));
    this.pool.on('workerDestroy', () => die('worker thread exited'));
    Object.assign(this, apiTable((name, args) => this.call(name, args)));
  }

  /** One task: `args` is the method's arguments tuple; the worker answers with a Result value. */
  async call<K extends keyof ShardWorkerApi>(name: K, args: ArgsOf<ShardWorkerApi, K>): Promise<ReplyOf<ShardWorkerApi, K>> {
    if (this.dead) throw this.dead;
    let r: Result<ReplyOf<ShardWorkerApi, K>>;
    try {
      r = (await this.pool.run(args, { name })) as Result<ReplyOf<ShardWorkerApi, K>>;
    } catch (e) {
      throw this.dead ?? internal('SHARD_WORKER_FAILED', `shard 0x${this.shardId.toString(16)} ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!r.ok) throw ChainError.fromObject(r.error);
    return r.value;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    try {
      if (!this.dead) await this.call('close', []);
    } finally {
      this.closing = true;
      await this.pool.destroy();
    }
  }
}
