/**
 * The `Shard` interface over a Piscina pool with exactly one thread (DESIGN §1): the shard's
 * state lives in that thread. `atomics: 'disabled'` because piscina's default ('sync') parks an
 * idle worker in Atomics.wait, which would stop its ring consumer, timers and LevelDB callbacks
 * between tasks (test/integration/workerShard.test.ts proves the worker keeps consuming). A
 * worker that dies is reported through `onFatal`, never silently replaced by a blank shard.
 */
import { Piscina } from 'piscina';
import type { Bytes } from '../core/bytes.js';
import { ChainError, internal } from '../core/errors.js';
import type { ShardPart } from '../consensus/conservation.js';
import type { AccountInfo, BlockQuery, BlockReply, CreateTxRequest, ShardStats, TxLookup } from './protocol.js';
import type { BlockEvent, ChainWindow, MiningControl, Result, Shard, ShardInit, ShardStatus, StressPlan, StressReport, SyncAddResult, ThreadLoad } from './protocol.js';

/** Tasks one shard thread serves at once: a long poll, queries and blocks run side by side. */
const CONCURRENT_TASKS = 16;

export const SHARD_WORKER_URL = new URL('../../workers/shard.js', import.meta.url).href;

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
  }

  private async call<T>(name: string, arg: unknown = {}): Promise<T> {
    if (this.dead) throw this.dead;
    let r: Result<T>;
    try {
      r = (await this.pool.run(arg, { name })) as Result<T>;
    } catch (e) {
      throw this.dead ?? internal('SHARD_WORKER_FAILED', `shard 0x${this.shardId.toString(16)} ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!r.ok) throw ChainError.fromObject(r.error);
    return r.value;
  }

  addBlock(block: Bytes): Promise<BlockEvent> { return this.call('addBlock', { block }); }
  addBlocksForSync(blocks: Bytes[]): Promise<SyncAddResult> { return this.call('addBlocksForSync', { blocks }); }
  blocksByHash(hashes: Bytes[]): Promise<Bytes[]> { return this.call('blocksByHash', { hashes }); }
  addRootBlock(block: Bytes): Promise<{ tipChanged: boolean }> { return this.call('addRootBlock', { block }); }
  addTx(tx: Bytes): Promise<Bytes> { return this.call('addTx', { tx }); }
  createBlockToMine(coinbase: Bytes | null): Promise<Bytes> { return this.call('createBlockToMine', { coinbase }); }
  account(recipient: Bytes, height: number | null): Promise<AccountInfo | null> { return this.call('account', { recipient, height }); }
  minorBlock(q: BlockQuery): Promise<BlockReply | null> { return this.call('minorBlock', q); }
  lookupTx(hash: Bytes): Promise<TxLookup> { return this.call('lookupTx', { hash }); }
  shardStats(): Promise<ShardStats> { return this.call('shardStats'); }
  createTransactions(req: CreateTxRequest): Promise<{ started: boolean }> { return this.call('createTransactions', req); }
  status(): Promise<ShardStatus> { return this.call('status'); }
  conservationPart(root: Bytes): Promise<ShardPart> { return this.call('conservationPart', { root }); }
  committedHeaders(): Promise<Bytes[]> { return this.call('committedHeaders'); }
  setMining(c: MiningControl): Promise<void> { return this.call('setMining', c); }
  events(after: number, waitMs: number): Promise<{ next: number; events: BlockEvent[] }> { return this.call('events', { after, waitMs }); }

  stressPrepare(plan: StressPlan): Promise<{ presigned: number }> { return this.call('stressPrepare', plan); }
  stressRun(on: boolean): Promise<void> { return this.call('stressRun', { on }); }
  stressInject(count: number): Promise<void> { return this.call('stressInject', { count }); }
  stressReport(samples: boolean): Promise<StressReport> { return this.call('stressReport', { samples }); }
  chainWindow(t0: number, t1: number): Promise<ChainWindow> { return this.call('chainWindow', { t0, t1 }); }
  load(gc = false): Promise<ThreadLoad> { return this.call('load', { gc }); }

  async close(): Promise<void> {
    if (this.closing) return;
    try {
      if (!this.dead) await this.call('close');
    } finally {
      this.closing = true;
      await this.pool.destroy();
    }
  }
}
