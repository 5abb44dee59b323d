/**
 * ShardHost: everything one shard thread owns (DESIGN §1): its ShardChain and database, the
 * commit service, its ends of the cross-shard rings, the cooperative sealing loop and the event
 * queue the coordinator long-polls. Runs inside the shard's Piscina worker (workers/shard.ts)
 * or in-thread for tests (InProcessShard). Chain-mutating calls are serialised.
 */
import { join } from 'node:path';
import { addressFromBytes } from '../core/address.js';
import { keyOf, type Bytes } from '../core/bytes.js';
import { configFromJson, consensusOf, type Config } from '../core/config.js';
import { decodeDepositList, encodeDepositList, type Deposit } from '../core/deposit.js';
import { decodeMinorBlock, encodeMinorBlock, encodeMinorHeader, minorSealHash, type MinorBlock } from '../core/minorBlock.js';
import { decodeRootBlock } from '../core/rootBlock.js';
import { decodeTx } from '../core/transaction.js';
import { XshardEndpoint } from '../channel/xshardChannel.js';
import { selectKernel } from '../pow/select.js';
import { sealSlice } from '../pow/slice.js';
import type { Kernel } from '../pow/types.js';
import { sealTarget } from '../consensus/target.js';
import { memKv } from '../store/memKv.js';
import { openLevelKv } from '../store/levelKv.js';
import type { BlockEvent, ChainWindow, MiningControl, ShardInit, ShardStatus, StressPlan, StressReport, SyncAddResult, ThreadLoad } from './protocol.js';
import { ShardChain } from './shardChain.js';
import { ShardService } from './shardService.js';
import { accountAt, findBlock, lookupTx, shardStats } from './queries.js';
import { TxBatchCreator } from './createTransactions.js';
import type { AccountInfo, BlockQuery, BlockReply, CreateTxRequest, ShardStats, TxLookup } from './protocol.js';
import { useFastKeccak } from '../crypto/keccakWasm.js';
import { ChainError, internal } from '../core/errors.js';
import { collectGarbage } from '../core/collectGarbage.js';
import { StressGenerator } from './stressGenerator.js';
import type { HistoryEntry } from './blockHistory.js';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { ShardPart } from '../consensus/conservation.js';

/** Longest synchronous sealing slice: other tasks are served between slices (DESIGN §1). */
const SEAL_SLICE_MS = 50;
/** The candidate is rebuilt at least this often so createTime and difficulty follow the clock. */
const CANDIDATE_MAX_AGE_MS = 1000;
/** `mine --tx-rate`: share of generated transfers that cross shards (DESIGN §12: half). */
const MINE_XSHARD_PERCENT = 50;
/** Events kept for the coordinator's long poll. */
const MAX_EVENTS = 4096;
/** Blocks looked up per `blocksByHash` call: a peer's request is capped at 100 (p2p/limits.ts) and served 50 at a time. */
const MAX_BLOCKS_BY_HASH = 100;

const nowSec = (): number => Math.floor(Date.now() / 1000);

interface Candidate {
  readonly block: MinorBlock;
  readonly target: bigint;
  readonly madeAtMs: number;
  readonly gen: number;
  readonly parentKey: string;
  nonce: bigint;
}

export class ShardHost {
  readonly chain: ShardChain;
  readonly service: ShardService;
  private readonly cfg: Config;
  private readonly endpoint: XshardEndpoint;
  private readonly gen: Int32Array;
  private readonly kernel: Kernel | null;
  private tail: Promise<unknown> = Promise.resolve();
  private queue: { seq: number; ev: BlockEvent }[] = [];
  private seq = 0;
  private waiters: (() => void)[] = [];
  private mining = false;
  private coinbase: Bytes | null = null;
  private loop: Promise<void> | null = null;
  private hashes = 0;
  private blocksMined = 0;
  private txsConfirmed = 0;
  private applied = 0;
  /** Deposits received over the rings (counted by the endpoint's handler). */
  private readonly counters: { received: number };
  private closed = false;
  private stress: StressGenerator | null = null;
  private readonly elu: EventLoopUtilization = performance.eventLoopUtilization();

  private constructor(
    init: ShardInit, cfg: Config, chain: ShardChain, endpoint: XshardEndpoint, service: ShardService, kernel: Kernel | null,
    counters: { received: number },
  ) {
    this.counters = counters;
    this.cfg = cfg;
    this.chain = chain;
    this.endpoint = endpoint;
    this.service = service;
    this.kernel = kernel;
    this.gen = new Int32Array(init.workGen);
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
    const indexOf = new Map(init.shardIds.map((id, i) => [id, i] as const));
    const transport = {
      deliver: async (hash: Bytes, lists: ReadonlyMap<number, readonly Deposit[]>): Promise<void> => {
        const sends = [...lists].map(async ([dest, list]) => {
          const sender = endpoint.sender(indexOf.get(dest)!);
          const seq = await sender.send({ sourceHash: hash, payload: encodeDepositList(list) });
          await sender.waitAcked(seq);
        });
        await Promise.all(sends);
      },
    };
    const service = new ShardService(chain, transport, nowSec);
    const algo = consensusOf(cfg, init.shardId).algo;
    const kernel = algo === 'simulate' ? null : selectKernel(algo, init.kernel, () => undefined);
    const host = new ShardHost(init, cfg, chain, endpoint, service, kernel, counters);
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

  private push(ev: BlockEvent): void {
    this.queue.push({ seq: ++this.seq, ev });
    if (this.queue.length > MAX_EVENTS) this.queue.splice(0, this.queue.length - MAX_EVENTS);
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private toEvent(r: Awaited<ReturnType<ShardService['addBlock']>>, mined: boolean): BlockEvent {
    const appliedDeposits = r.applied.filter((a) => !a.fromRoot).length;
    if (r.status === 'added' && r.isTip) {
      this.txsConfirmed += r.txCount;
      this.applied += appliedDeposits;
    }
    return { header: encodeMinorHeader(r.header), isTip: r.isTip, mined, txCount: r.txCount, appliedDeposits };
  }

  async addBlock(bytes: Bytes): Promise<BlockEvent> {
    const block = decodeMinorBlock(bytes);
    const r = await this.serial(() => this.service.addBlock(block));
    if (r.status === 'added') this.stress?.onBlock(block, r.applied);
    const ev = this.toEvent(r, false);
    if (r.status === 'added') this.push(ev);
    return ev;
  }

  /** Sync: each block through `addBlock`, in order, until the first refusal (returned as a plain coded object). */
  async addBlocksForSync(blocks: readonly Bytes[]): Promise<SyncAddResult> {
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

  /** Stored blocks by hash, encoded, in request order (at most MAX_BLOCKS_BY_HASH); unknown or pruned ones left out. */
  async blocksByHash(hashes: readonly Bytes[]): Promise<Bytes[]> {
    const out: Bytes[] = [];
    for (const h of hashes.slice(0, MAX_BLOCKS_BY_HASH)) {
      const b = await this.chain.getBlock(h);
      if (b) out.push(encodeMinorBlock(b));
    }
    return out;
  }

  async addRootBlock(bytes: Bytes): Promise<{ tipChanged: boolean }> {
    const rb = decodeRootBlock(bytes);
    const r = await this.serial(() => this.chain.addRootBlock(rb));
    return { tipChanged: r.tipChanged };
  }

  async addTx(bytes: Bytes): Promise<Bytes> {
    const tx = decodeTx(bytes);
    return this.serial(() => this.chain.addTx(tx));
  }

  // ---- RPC queries (src/shard/queries.ts) and QuarkChain's createTransactions ----------
  account(recipient: Bytes, height: number | null): Promise<AccountInfo | null> { return accountAt(this.chain, recipient, height); }
  minorBlock(q: BlockQuery): Promise<BlockReply | null> { return findBlock(this.chain, q); }
  lookupTx(hash: Bytes): Promise<TxLookup> { return lookupTx(this.chain, hash); }
  shardStats(): ShardStats { return shardStats(this.chain); }
  private txBatch: TxBatchCreator | null = null;
  createTransactions(req: CreateTxRequest): { started: boolean } {
    this.txBatch ??= new TxBatchCreator(this.cfg, this.chain, (fn) => this.serial(fn));
    return { started: this.txBatch.start(req) };
  }

  async createBlockToMine(coinbase: Bytes | null): Promise<Bytes> {
    const cb = coinbase ? addressFromBytes(coinbase) : undefined;
    return encodeMinorBlock(await this.serial(() => this.chain.createBlockToMine(nowSec(), cb)));
  }

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

  async stressInject(count: number): Promise<void> {
    await this.stress?.injectInvalid(count);
  }

  async stressReport(samples: boolean): Promise<StressReport> {
    if (!this.stress) throw internal('STRESS_NOT_PREPARED', 'no stress plan in this shard');
    return this.serial(() => this.stress!.report(samples));
  }

  /** Canonical blocks created in [t0, t1): from the tip down the tree, then through the pruned history. */
  chainWindow(t0: number, t1: number): ChainWindow {
    let blocks = 0;
    let txs = 0;
    let gasUsed = 0;
    let newer: HistoryEntry | undefined;
    for (const b of this.chain.canonicalBackwards()) {
      if (newer && newer.createTime < t1) {
        blocks++;
        txs += newer.txsCum - b.txsCum;
        gasUsed += newer.gasUsed;
      }
      if (b.createTime < t0) break;
      newer = b;
    }
    return { blocks, txs, gasUsed, gasLimit: blocks * this.cfg.gasLimit };
  }

  load(gc = false): ThreadLoad {
    if (gc) collectGarbage();
    const m = process.memoryUsage();
    return {
      busy: performance.eventLoopUtilization(this.elu).utilization, heapUsedMB: m.heapUsed / 2 ** 20,
      heapTotalMB: m.heapTotal / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20,
    };
  }

  conservationPart(root: Bytes): Promise<ShardPart> {
    return this.serial(() => this.chain.conservationPart(root));
  }

  committedHeaders(): Bytes[] {
    return this.service.committedHeadersSinceConfirmed().map(encodeMinorHeader);
  }

  status(): ShardStatus {
    const tip = this.chain.tip;
    return {
      shardId: this.chain.shardId,
      tip: { height: tip.header.height, hash: tip.hash, createTime: tip.header.createTime },
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

  async events(after: number, waitMs: number): Promise<{ next: number; events: BlockEvent[] }> {
    const pick = (): { next: number; events: BlockEvent[] } => {
      const evs = this.queue.filter((e) => e.seq > after);
      return { next: evs.length ? evs[evs.length - 1]!.seq : Math.max(after, this.seq), events: evs.map((e) => e.ev) };
    };
    if (this.seq > after || this.closed) return pick();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, waitMs);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
    return pick();
  }

  async setMining(c: MiningControl): Promise<void> {
    this.coinbase = c.coinbase;
    await this.setTxRate(c.txRate ?? 0);
    if (c.on && !this.mining) {
      this.mining = true;
      this.loop = this.sealLoop().catch((e: unknown) => {
        this.mining = false;
        process.stderr.write(`shard 0x${this.chain.shardId.toString(16)}: sealing stopped: ${e instanceof Error ? e.message : String(e)}\n`);
      });
    } else if (!c.on && this.mining) {
      this.mining = false;
      await this.loop;
    }
  }

  private async newCandidate(): Promise<Candidate> {
    // Timestamps are whole seconds and strictly increasing: a candidate may run at most one
    // second ahead of the clock (so the loop never idles), never further.
    const ahead = this.chain.tip.header.createTime * 1000 - Date.now();
    if (ahead > 0) await new Promise((r) => setTimeout(r, Math.min(ahead, CANDIDATE_MAX_AGE_MS)));
    const gen = Atomics.load(this.gen, 0);
    const block = await this.serial(() => this.chain.createBlockToMine(nowSec(), this.coinbase ? addressFromBytes(this.coinbase) : undefined));
    const cons = consensusOf(this.cfg, this.chain.shardId);
    return {
      block, gen, madeAtMs: Date.now(), parentKey: keyOf(block.header.hashPrevMinorBlock),
      target: cons.algo === 'simulate' ? 0n : sealTarget(cons.algo, block.header.difficulty),
      nonce: BigInt(Math.floor(Math.random() * 2 ** 32)) << 16n,
    };
  }

  private stale(c: Candidate): boolean {
    return Atomics.load(this.gen, 0) !== c.gen || Date.now() - c.madeAtMs >= CANDIDATE_MAX_AGE_MS || keyOf(this.chain.tip.hash) !== c.parentKey;
  }

  /** The cooperative sealing loop: slices of ≤ 50 ms with a yield to the event loop between. */
  /** `simulate`: a block is "found" after an exponential delay; the candidate is built when due. */
  private async simulatedDelay(): Promise<void> {
    const cons = consensusOf(this.cfg, this.chain.shardId);
    const due = Date.now() - Math.log(1 - Math.random()) * cons.targetBlockTime * 1000;
    while (this.mining && !this.closed && Date.now() < due) {
      await new Promise((r) => setTimeout(r, Math.min(due - Date.now(), SEAL_SLICE_MS)));
    }
  }

  private async sealLoop(): Promise<void> {
    let cand: Candidate | null = null;
    while (this.mining && !this.closed) {
      if (!this.kernel) await this.simulatedDelay();
      if (!this.mining || this.closed) break;
      if (!cand || this.stale(cand) || !this.kernel) cand = await this.newCandidate();
      let found: { nonce: bigint; mixhash: Bytes } | null = null;
      if (!this.kernel) {
        found = { nonce: cand.nonce, mixhash: new Uint8Array(32) };
      } else {
        const c = cand;
        const r = sealSlice(this.kernel, { sealHash: minorSealHash(c.block.header), target: c.target, startNonce: c.nonce, height: c.block.header.height },
          SEAL_SLICE_MS, { shouldStop: () => Atomics.load(this.gen, 0) !== c.gen });
        this.hashes += r.hashes;
        c.nonce = r.nextNonce;
        if (r.found) found = { nonce: r.found.nonce, mixhash: r.found.mixhash };
      }
      if (found) {
        const sealed: MinorBlock = { ...cand.block, header: { ...cand.block.header, nonce: found.nonce, mixhash: found.mixhash } };
        cand = null;
        try {
          const r = await this.serial(() => this.service.addBlock(sealed));
          if (r.status === 'added') { this.blocksMined++; this.stress?.onBlock(sealed, r.applied); this.push(this.toEvent(r, true)); }
        } catch (e) {
          process.stderr.write(`shard 0x${this.chain.shardId.toString(16)}: mined block rejected: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.mining = false;
    await this.stress?.stop();
    await this.loop;
    this.closed = true;
    for (const f of this.waiters) f();
    await this.serial(async () => undefined);
    this.endpoint.stop();
    await this.chain.close();
  }
}
