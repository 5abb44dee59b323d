/** The `Shard` interface in the calling thread (unit tests, debugging): a ShardHost, no worker. */
import type { Bytes } from '../core/bytes.js';
import type { BlockEvent, ChainWindow, MiningControl, Shard, ShardInit, ShardStatus, StressPlan, StressReport, SyncAddResult, ThreadLoad } from './protocol.js';
import { ShardHost } from './shardHost.js';
import type { ShardPart } from '../consensus/conservation.js';
import type { AccountInfo, BlockQuery, BlockReply, CreateTxRequest, ShardStats, TxLookup } from './protocol.js';

export class InProcessShard implements Shard {
  private constructor(readonly shardId: number, readonly host: ShardHost) {}

  static async open(init: ShardInit): Promise<InProcessShard> {
    return new InProcessShard(init.shardId, await ShardHost.open(init));
  }

  addBlock(block: Bytes): Promise<BlockEvent> { return this.host.addBlock(block); }
  addBlocksForSync(blocks: Bytes[]): Promise<SyncAddResult> { return this.host.addBlocksForSync(blocks); }
  blocksByHash(hashes: Bytes[]): Promise<Bytes[]> { return this.host.blocksByHash(hashes); }
  addRootBlock(rootBlock: Bytes): Promise<{ tipChanged: boolean }> { return this.host.addRootBlock(rootBlock); }
  addTx(tx: Bytes): Promise<Bytes> { return this.host.addTx(tx); }
  createBlockToMine(coinbase: Bytes | null): Promise<Bytes> { return this.host.createBlockToMine(coinbase); }
  account(recipient: Bytes, height: number | null): Promise<AccountInfo | null> { return this.host.account(recipient, height); }
  minorBlock(q: BlockQuery): Promise<BlockReply | null> { return this.host.minorBlock(q); }
  lookupTx(hash: Bytes): Promise<TxLookup> { return this.host.lookupTx(hash); }
  async shardStats(): Promise<ShardStats> { return this.host.shardStats(); }
  async createTransactions(req: CreateTxRequest): Promise<{ started: boolean }> { return this.host.createTransactions(req); }
  async status(): Promise<ShardStatus> { return this.host.status(); }
  conservationPart(root: Bytes): Promise<ShardPart> { return this.host.conservationPart(root); }
  async committedHeaders(): Promise<Bytes[]> { return this.host.committedHeaders(); }
  setMining(c: MiningControl): Promise<void> { return this.host.setMining(c); }
  events(after: number, waitMs: number): Promise<{ next: number; events: BlockEvent[] }> { return this.host.events(after, waitMs); }
  stressPrepare(plan: StressPlan): Promise<{ presigned: number }> { return this.host.stressPrepare(plan); }
  stressRun(on: boolean): Promise<void> { return this.host.stressRun(on); }
  stressInject(count: number): Promise<void> { return this.host.stressInject(count); }
  stressReport(samples: boolean): Promise<StressReport> { return this.host.stressReport(samples); }
  async chainWindow(t0: number, t1: number): Promise<ChainWindow> { return this.host.chainWindow(t0, t1); }
  async load(gc = false): Promise<ThreadLoad> { return this.host.load(gc); }
  close(): Promise<void> { return this.host.close(); }
}
