/**
 * Piscina entry of a shard worker (thin: decode, call src/, encode). One pool with exactly one
 * thread per shard owns that shard's ShardHost; every export is one method of the shard API
 * (src/shard/protocol.ts), takes that method's arguments tuple (Piscina passes one task
 * argument) and returns a Result value, never a thrown error. The `satisfies` below makes a
 * missing, misspelt or mistyped export a compile error.
 */
import { workerData } from 'node:worker_threads';
import { ChainError } from '../src/core/errors.js';
import type { Result, ShardInit, ShardWorkerApi } from '../src/shard/protocol.js';
import type { WorkerExports } from '../src/shard/shardApi.js';
import { ShardHost } from '../src/shard/shardHost.js';

const host: Promise<ShardHost> = ShardHost.open(workerData as ShardInit);
// An open failure is reported by every call (the first one tells the coordinator why).
host.catch(() => undefined);

async function wrap<T>(fn: (h: ShardHost) => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn(await host) };
  } catch (e) {
    return { ok: false, error: ChainError.from(e).toObject() };
  }
}

const handlers = {
  addBlock: ([block]) => wrap((h) => h.addBlock(block)),
  addBlocksForSync: ([blocks]) => wrap((h) => h.addBlocksForSync(blocks)),
  addRootBlock: ([rootBlock]) => wrap((h) => h.addRootBlock(rootBlock)),
  addTx: ([tx]) => wrap((h) => h.addTx(tx)),
  blocksByHash: ([hashes]) => wrap((h) => h.blocksByHash(hashes)),
  account: ([recipient, height]) => wrap((h) => h.account(recipient, height)),
  minorBlock: ([q]) => wrap((h) => h.minorBlock(q)),
  lookupTx: ([hash]) => wrap((h) => h.lookupTx(hash)),
  shardStats: () => wrap((h) => h.shardStats()),
  status: () => wrap((h) => h.status()),
  conservationPart: ([root]) => wrap((h) => h.conservationPart(root)),
  committedHeaders: () => wrap((h) => h.committedHeaders()),
  chainWindow: ([t0, t1]) => wrap((h) => h.chainWindow(t0, t1)),
  createBlockToMine: ([coinbase]) => wrap((h) => h.createBlockToMine(coinbase)),
  setMining: ([c]) => wrap((h) => h.setMining(c)),
  events: ([after, waitMs]) => wrap((h) => h.events(after, waitMs)),
  createTransactions: ([req]) => wrap((h) => h.createTransactions(req)),
  checkNewBlock: ([block]) => wrap((h) => h.checkNewBlock(block)),
  shardHeaders: ([q]) => wrap((h) => h.shardHeaders(q)),
  addTxs: ([txs]) => wrap((h) => h.addTxs(txs)),
  setRelay: ([on]) => wrap((h) => h.setRelay(on)),
  holdSealing: ([held]) => wrap((h) => h.holdSealing(held)),
  stressPrepare: ([plan]) => wrap((h) => h.stressPrepare(plan)),
  stressRun: ([on]) => wrap((h) => h.stressRun(on)),
  stressInject: ([count]) => wrap((h) => h.stressInject(count)),
  stressReport: ([samples]) => wrap((h) => h.stressReport(samples)),
  load: ([gc]) => wrap((h) => h.load(gc)),
  close: () => wrap((h) => h.close()),
} satisfies WorkerExports<ShardWorkerApi>;

// Piscina looks a task's `name` up among the module's named exports.
export const {
  addBlock, addBlocksForSync, addRootBlock, addTx, blocksByHash, account, minorBlock, lookupTx, shardStats, status,
  conservationPart, committedHeaders, chainWindow, createBlockToMine, setMining, events, createTransactions,
  checkNewBlock, shardHeaders, addTxs, setRelay, holdSealing,
  stressPrepare, stressRun, stressInject, stressReport, load, close,
} = handlers;
