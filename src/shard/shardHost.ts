/**
 * ShardHost: the composition root of one shard thread (DESIGN §1). It wires the ShardChain and
 * its database, the commit service over this worker's ring ends, the cooperative sealing loop
 * (sealLoop.ts), the event queue the coordinator long-polls (eventQueue.ts) and the stress
 * generator, and serves the shard API (protocol.ts). Runs inside the shard's Piscina worker
 * (workers/shard.ts) or in-thread for tests (InProcessShard). Chain-mutating calls are
 * serialised; a block's commit (acks, commit flag, event) completes outside that section.
 */
import { join } from 'node:path';
import { addressFromBytes } from '../core/address.js';
import type { Bytes } from '../core/bytes.js';
import { configFromJson, consensusOf, type Config } from '../core/config.js';
import { decodeDepositList } from '../core/deposit.js';
import { ChainError, internal } from '../core/errors.js';
import { decodeMinorBlock, encodeMinorBlock, encodeMinorHeader, type MinorBlock } from '../core/minorBlock.js';
import { decodeRootBlock } from '../core/rootBlock.js';
import { decodeTx } from '../core/transaction.js';
import { XshardEndpoint } from '../channel/xshardChannel.js';
import type { ShardPart } from '../consensus/conservation.js';
import { useFastKeccak } from '../crypto/keccakWasm.js';
import { selectKernel } from '../pow/select.js';
import type { Kernel } from '../pow/types.js';
import { openLevelKv } from '../store/levelKv.js';
import { memKv } from '../store/memKv.js';
import { chainWindow } from './chainWindow.js';
import { TxBatchCreator } from './createTransactions.js';
import { EventQueue } from './eventQueue.js';
import type { AccountHeight, AccountInfo, BlockEvent, BlockQuery, BlockReply, ChainWindow, CreateTxRequest, EventsReply, MiningControl, NewBlockCheck } from './protocol.js';
import type { ShardHeaderQuery, ShardHeadersReply, TxBatchResult } from './protocol.js';
import type { ShardInit, ShardStats, ShardStatus, ShardWorkerApi, StressPlan, StressReport, SyncAddResult, ThreadLoad, TxLookup } from './protocol.js';
import { accountAt, findBlock, lookupTx, shardStats } from './queries.js';
import { ringTransport } from './ringTransport.js';
import { sealLoop } from './sealLoop.js';
import { ShardChain } from './shardChain.js';
import { ShardNetwork } from './shardNetwork.js';
import { ShardService, type CommittedBlock, type Staged } from './shardService.js';
import { StressGenerator } from './stressGenerator.js';
import { ThreadMeter } from './threadLoad.js';

/** `mine --tx-rate`: share of generated transfers that cross shards (DESIGN §12: half). */
const MINE_XSHARD_PERCENT = 50;
/** Blocks looked up per `blocksByHash` call: a peer's request is capped at 100 (p2p/limits.ts) and served 50 at a time. */
const MAX_BLOCKS_BY_HASH = 100;

const nowSec = (): number => Math.floor(Date.now() / 1000);
const eventOf = (c: CommittedBlock, mined: boolean): BlockEvent => ({
  header: encodeMinorHeader(c.header), isTip: c.isTip, mined, txCount: c.txCount, appliedDeposits: c.applied.filter((a) => !a.fromRoot).length,
});

export class ShardHost implements ShardWorkerApi {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly queue: EventQueue;
  private readonly network: ShardNetwork;
  private readonly meter = new ThreadMeter();
  private mining = false;
  private coinbase: Bytes | null = null;
  private loop: Promise<void> | null = null;
  private hashes = 0;
  private blocksMined = 0;
  private txsConfirmed = 0;
  private applied = 0;
  private closed = false;
  private stress: StressGenerator | null = null;
  private txBatch: TxBatchCreator | null = null;

  private constructor(
    private readonly cfg: Config, readonly chain: ShardChain, readonly service: ShardService, private readonly endpoint: XshardEndpoint,
    private readonly gen: Int32Array, private readonly kernel: Kernel | null, private readonly counters: { received: number },
  ) {
    this.queue = new EventQueue(() => this.service.committedSinceConfirmed().map((n) => ({
      header: encodeMinorHeader(n.header), isTip: n === chain.tip, mined: false,
      txCount: n.stats.txs - (n.parent?.stats.txs ?? 0), appliedDeposits: 0,
    })));
    this.network = new ShardNetwork(chain, (fn) => this.serial(fn), () => this.queue.nudge());
  }

  static async open(init: ShardInit): Promise<ShardHost> {
    await useFastKeccak();
    const cfg = configFromJson(init.configJson);
    const kv = init.dir ? await openLevelKv(join(init.dir, `shard-${init.shardId.toString(16)}`)) : memKv();
    const chain = await ShardChain.open(cfg, init.shardId, kv, { retainBlocks: init.retainBlocks });
    const counters = { received: 0 };
    const endpoint = new XshardEndpoint(init.links, {
      onMessage: async (_src, msg) => {
        const list = decodeDepositList(msg.payload);
        counters.received += list.length;
        await chain.addXshardList(msg.sourceHash, list);
      },
    });
    const service = new ShardService(chain, ringTransport(endpoint, init.shardIds), nowSec);
    const algo = consensusOf(cfg, init.shardId).algo;
    const kernel = algo === 'simulate' ? null : selectKernel(algo, init.kernel, () => undefined);
    const host = new ShardHost(cfg, chain, service, endpoint, new Int32Array(init.workGen), kernel, counters);
    endpoint.start();
    // Blocks stored before a crash but not committed: re-send their lists (idempotent) and commit.
    await service.recommitAll();
    return host;
  }

  /** Runs chain-mutating work one call at a time. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Validates, stores and writes the lists of a block inside the serialised section; its commit goes on outside. */
  private stage(block: MinorBlock, mined: boolean): Promise<Staged> {
    return this.serial(() => this.service.stage(block, { onCommitted: (c) => this.onCommitted(c, block, mined) }));
  }

  /** A block this host added is committed: count it and tell the coordinator. */
  private onCommitted(c: CommittedBlock, block: MinorBlock, mined: boolean): void {
    if (mined) this.blocksMined++;
    if (c.isTip) {
      this.txsConfirmed += c.txCount;
      this.applied += c.applied.filter((a) => !a.fromRoot).length;
    }
    this.stress?.onBlock(block, c.applied);
    const ev = eventOf(c, mined);
    this.queue.push(mined && this.network.relay ? { ...ev, block: encodeMinorBlock(block) } : ev);
  }

  // ---- chain ----------------------------------------------------------------------------
  async addBlock(bytes: Bytes): Promise<BlockEvent> {
    const s = await this.stage(decodeMinorBlock(bytes), false);
    await s.committed;
    return eventOf(s.block, false);
  }

  /** Sync: each block through `addBlock`, in order, until the first refusal (returned as a plain coded object). */
  async addBlocksForSync(blocks: Bytes[]): Promise<SyncAddResult> {
    const events: BlockEvent[] = [];
    for (const bytes of blocks) {
      try {
        events.push(await this.addBlock(bytes));
      } catch (e) {
        return { events, error: ChainError.from(e).toObject() };
      }
    }
    return { events, error: null };
  }

  async addRootBlock(bytes: Bytes): Promise<{ tipChanged: boolean }> {
    const rb = decodeRootBlock(bytes);
    const r = await this.serial(() => this.chain.addRootBlock(rb));
    return { tipChanged: r.tipChanged };
  }

  addTx(bytes: Bytes): Promise<Bytes> {
    const tx = decodeTx(bytes);
    return this.serial(() => this.chain.addTx(tx));
  }

  // ---- queries (src/shard/queries.ts) -------------------------------------------------------
  /** Stored blocks by hash, encoded, in request order (at most MAX_BLOCKS_BY_HASH); unknown or pruned ones left out. */
  async blocksByHash(hashes: Bytes[]): Promise<Bytes[]> {
    const out: Bytes[] = [];
    for (const h of hashes.slice(0, MAX_BLOCKS_BY_HASH)) {
      const b = await this.chain.getBlock(h);
      if (b) out.push(encodeMinorBlock(b));
    }
    return out;
  }

  account(recipient: Bytes, height: AccountHeight): Promise<AccountInfo | null> { return accountAt(this.chain, recipient, height); }
  minorBlock(q: BlockQuery): Promise<BlockReply | null> { return findBlock(this.chain, q); }
  lookupTx(hash: Bytes): Promise<TxLookup> { return lookupTx(this.chain, hash); }
  async shardStats(): Promise<ShardStats> { return shardStats(this.chain); }
  async chainWindow(t0: number, t1: number): Promise<ChainWindow> { return chainWindow(this.chain, t0, t1); }
  conservationPart(root: Bytes): Promise<ShardPart> { return this.serial(() => this.chain.conservationPart(root)); }
  async committedHeaders(): Promise<Bytes[]> { return this.service.committedHeadersSinceConfirmed().map(encodeMinorHeader); }
  async load(gc = false): Promise<ThreadLoad> { return this.meter.load(gc); }

  async status(): Promise<ShardStatus> {
    const tip = this.chain.tip;
    return {
      shardId: this.chain.shardId,
      tip: { height: tip.header.height, hash: tip.hash, createTime: tip.header.createTime },
      difficulty: tip.header.difficulty,
      rootHeight: this.chain.rootTip.height,
      confirmedHeight: this.chain.confirmedTip.header.height,
      poolSize: this.chain.pool.size,
      pendingDeposits: Math.max(this.counters.received - this.applied, 0),
      hashes: this.hashes,
      mining: this.mining,
      txsConfirmed: this.txsConfirmed,
      stressSubmitted: this.stress?.submittedCount ?? 0,
      stressPresigned: this.stress?.presignedCount ?? 0,
      blocksMined: this.blocksMined,
    };
  }

  // ---- mining -----------------------------------------------------------------------------
  async createBlockToMine(coinbase: Bytes | null): Promise<Bytes> {
    const cb = coinbase ? addressFromBytes(coinbase) : undefined;
    return encodeMinorBlock(await this.serial(() => this.chain.createBlockToMine(nowSec(), cb)));
  }

  async events(after: number, waitMs: number): Promise<EventsReply> {
    const r = await this.queue.poll(after, waitMs, () => this.network.hasOutbox);
    return this.network.hasOutbox ? { ...r, txs: this.network.takeOutbox() } : r;
  }

  // ---- P2P (src/shard/shardNetwork.ts) ---------------------------------------------------------
  async checkNewBlock(block: Bytes): Promise<NewBlockCheck> { return this.network.checkNewBlock(block); }
  async shardHeaders(q: ShardHeaderQuery): Promise<ShardHeadersReply> { return this.network.shardHeaders(q); }
  addTxs(txs: Bytes[]): Promise<TxBatchResult> { return this.network.addTxs(txs); }
  async setRelay(on: boolean): Promise<void> { this.network.relay = on; }
  async holdSealing(held: boolean): Promise<void> { this.network.sealingHeld = held; }

  async createTransactions(req: CreateTxRequest): Promise<{ started: boolean }> {
    this.txBatch ??= new TxBatchCreator(this.cfg, this.chain, (fn) => this.serial(fn));
    return { started: this.txBatch.start(req) };
  }

  async setMining(c: MiningControl): Promise<void> {
    this.coinbase = c.coinbase;
    await this.setTxRate(c.txRate ?? 0);
    if (c.on && !this.mining) {
      this.mining = true;
      this.loop = sealLoop({
        cfg: this.cfg, chain: this.chain, gen: this.gen, kernel: this.kernel, serial: (fn) => this.serial(fn),
        submit: (sealed) => this.submitMined(sealed), coinbase: () => this.coinbase, running: () => this.mining && !this.closed,
        held: () => this.network.sealingHeld,
      }, (n) => { this.hashes += n; }).catch((e: unknown) => {
        this.mining = false;
        process.stderr.write(`shard 0x${this.chain.shardId.toString(16)}: sealing stopped: ${e instanceof Error ? e.message : String(e)}\n`);
      });
    } else if (!c.on && this.mining) {
      this.mining = false;
      await this.loop;
    }
  }

  /** A block the sealing loop found: stored before the loop goes on; its commit is not waited for. */
  private async submitMined(sealed: MinorBlock): Promise<void> {
    const s = await this.stage(sealed, true);
    s.committed.catch((e: unknown) => {
      if (!this.closed) process.stderr.write(`shard 0x${this.chain.shardId.toString(16)}: mined block not committed: ${ChainError.from(e).message}\n`);
    });
  }

  // ---- stress -----------------------------------------------------------------------------
  /** `mine --tx-rate`: the stress generator over the dev accounts, half of it cross-shard, signing as it goes. */
  private async setTxRate(perSecond: number): Promise<void> {
    await this.stress?.stop();
    if (perSecond <= 0) return;
    await this.stressPrepare({ ratePerShard: perSecond, xshardPercent: MINE_XSHARD_PERCENT, presign: 0 });
    this.stress!.start();
  }

  stressPrepare(plan: StressPlan): Promise<{ presigned: number }> {
    this.stress ??= new StressGenerator(this.cfg, this.chain, (fn) => this.serial(fn));
    return this.stress.prepare(plan);
  }

  async stressRun(on: boolean): Promise<void> {
    if (on) this.stress?.start();
    else await this.stress?.stop();
  }

  async stressInject(count: number): Promise<void> { await this.stress?.injectInvalid(count); }

  async stressReport(samples: boolean): Promise<StressReport> {
    if (!this.stress) throw internal('STRESS_NOT_PREPARED', 'no stress plan in this shard');
    return this.serial(() => this.stress!.report(samples));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.mining = false;
    await this.stress?.stop();
    await this.loop;
    this.closed = true;
    this.queue.close();
    await this.serial(async () => undefined);
    this.endpoint.stop();
    await this.chain.close();
  }
}
