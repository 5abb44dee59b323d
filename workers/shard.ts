/**
 * Piscina entry of a shard worker (thin: decode, call src/, encode). One pool with exactly one
 * thread per shard owns that shard's ShardHost; every export is one protocol method
 * (src/shard/protocol.ts) and returns a Result value, never a thrown error.
 */
import { workerData } from 'node:worker_threads';
import type { Bytes } from '../src/core/bytes.js';
import { ChainError } from '../src/core/errors.js';
import type { BlockEvent, ChainWindow, MiningControl, Result, ShardInit, ShardStatus, StressPlan, StressReport, SyncAddResult, ThreadLoad } from '../src/shard/protocol.js';
import { ShardHost } from '../src/shard/shardHost.js';
import type { ShardPart } from '../src/consensus/conservation.js';
import type { AccountInfo, BlockQuery, BlockReply, CreateTxRequest, ShardStats, TxLookup } from '../src/shard/protocol.js';

const host: Promise<ShardHost> = ShardHost.open(workerData as ShardInit);
// An open failure is reported by every call (the first one tells the coordinator why).
host.catch(() => undefined);

async function wrap<T>(fn: (h: ShardHost) => T | Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn(await host) };
  } catch (e) {
    return { ok: false, error: ChainError.from(e).toObject() };
  }
}

export const addBlock = (a: { block: Bytes }): Promise<Result<BlockEvent>> => wrap((h) => h.addBlock(a.block));
export const addBlocksForSync = (a: { blocks: Bytes[] }): Promise<Result<SyncAddResult>> => wrap((h) => h.addBlocksForSync(a.blocks));
export const blocksByHash = (a: { hashes: Bytes[] }): Promise<Result<Bytes[]>> => wrap((h) => h.blocksByHash(a.hashes));
export const addRootBlock = (a: { block: Bytes }): Promise<Result<{ tipChanged: boolean }>> => wrap((h) => h.addRootBlock(a.block));
export const addTx = (a: { tx: Bytes }): Promise<Result<Bytes>> => wrap((h) => h.addTx(a.tx));
export const createBlockToMine = (a: { coinbase: Bytes | null }): Promise<Result<Bytes>> => wrap((h) => h.createBlockToMine(a.coinbase));
export const account = (a: { recipient: Bytes; height: number | null }): Promise<Result<AccountInfo | null>> => wrap((h) => h.account(a.recipient, a.height));
export const minorBlock = (a: BlockQuery): Promise<Result<BlockReply | null>> => wrap((h) => h.minorBlock(a));
export const lookupTx = (a: { hash: Bytes }): Promise<Result<TxLookup>> => wrap((h) => h.lookupTx(a.hash));
export const shardStats = (): Promise<Result<ShardStats>> => wrap((h) => h.shardStats());
export const createTransactions = (a: CreateTxRequest): Promise<Result<{ started: boolean }>> => wrap((h) => h.createTransactions(a));
export const status = (): Promise<Result<ShardStatus>> => wrap((h) => h.status());
export const conservationPart = (a: { root: Bytes }): Promise<Result<ShardPart>> => wrap((h) => h.conservationPart(a.root));
export const committedHeaders = (): Promise<Result<Bytes[]>> => wrap((h) => h.committedHeaders());
export const setMining = (a: MiningControl): Promise<Result<void>> => wrap((h) => h.setMining(a));
export const events = (a: { after: number; waitMs: number }): Promise<Result<{ next: number; events: BlockEvent[] }>> => wrap((h) => h.events(a.after, a.waitMs));
export const stressPrepare = (a: StressPlan): Promise<Result<{ presigned: number }>> => wrap((h) => h.stressPrepare(a));
export const stressRun = (a: { on: boolean }): Promise<Result<void>> => wrap((h) => h.stressRun(a.on));
export const stressInject = (a: { count: number }): Promise<Result<void>> => wrap((h) => h.stressInject(a.count));
export const stressReport = (a: { samples: boolean }): Promise<Result<StressReport>> => wrap((h) => h.stressReport(a.samples));
export const chainWindow = (a: { t0: number; t1: number }): Promise<Result<ChainWindow>> => wrap((h) => h.chainWindow(a.t0, a.t1));
export const load = (a: { gc: boolean }): Promise<Result<ThreadLoad>> => wrap((h) => h.load(a.gc));
export const close = (): Promise<Result<void>> => wrap((h) => h.close());
