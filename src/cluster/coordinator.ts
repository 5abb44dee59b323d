/**
 * The coordinator (main thread, DESIGN §1): owns the RootChain and the root database, starts a
 * shard per full shard id (a one-thread Piscina pool each, or in-thread), wires the cross-shard
 * rings, collects committed headers, assembles and seals root blocks in the sealer pool and sends
 * every root block to every shard behind a write-ahead record. It never hashes in a loop.
 */
import { join } from 'node:path';
import { addressToBytes, type Address } from '../core/address.js';
import { defaultKeyOf } from '../core/branch.js';
import { keyOf, type Bytes } from '../core/bytes.js';
import { allShardIds, configToJson, type Config } from '../core/config.js';
import { ChainError, invalid } from '../core/errors.js';
import { decodeMinorHeader } from '../core/minorBlock.js';
import { encodeRootBlock, rootHeaderHash, rootSealHash, type RootBlock } from '../core/rootBlock.js';
import { createXshardLinks } from '../channel/xshardChannel.js';
import { devAccounts } from '../consensus/genesis.js';
import { checkConservation, type Conservation } from '../consensus/conservation.js';
import type { KernelChoice } from '../pow/types.js';
import { RootChain } from '../root/rootChain.js';
import { memKv } from '../store/memKv.js';
import { openLevelKv } from '../store/levelKv.js';
import { InProcessShard } from '../shard/inProcessShard.js';
import type { BlockEvent, Shard, ShardInit, ShardStatus } from '../shard/protocol.js';
import { WorkerShard } from '../shard/workerShard.js';
import { SealerPool } from '../pow/sealerPool.js';
import { useFastKeccak } from '../crypto/keccakWasm.js';

/** The long poll's wait: short enough that a stopping node is not held up. */
const EVENT_POLL_MS = 500;
/** A root candidate is rebuilt at least this often (createTime and difficulty follow the clock). */
const ROOT_CANDIDATE_MAX_AGE_MS = 1000;
/** Sealer task length: short tasks, because a running Piscina task is never aborted. */
const ROOT_SEAL_SLICE_MS = 200;
/** How often a shard that is not ready for a root block yet is retried, and for how long. */
const ROOT_RETRY_MS = 50;
const ROOT_RETRY_LIMIT = 200;
/** How often a root sealing loop held by a sync (`p2p.syncing()`) looks again. */
const ROOT_HOLD_POLL_MS = 100;

const nowSec = (): number => Math.floor(Date.now() / 1000);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Root blocks below the tip whose minor headers a pruning node keeps (deeper root reorganisations are not expected in a local run). */
const ROOT_PRUNE_DEPTH = 16;

export interface CoordinatorOptions {
  readonly config: Config;
  /** null: everything in memory. */
  readonly datadir: string | null;
  readonly kernel?: KernelChoice;
  /** Run shards in this thread instead of Piscina workers (tests). */
  readonly inProcess?: boolean;
  readonly log?: (line: string) => void;
  /** Called when a shard worker dies: the node must stop. */
  readonly onFatal?: (e: ChainError) => void;
  /**
   * Long in-memory runs: shards keep bodies and lists only this many blocks back, and the root
   * chain keeps minor headers only `ROOT_PRUNE_DEPTH` root blocks back.
   */
  readonly retainBlocks?: number;
}

/** What the coordinator and RPC see of P2P. */
export interface P2pView {
  /** A root sync task runs or waits. */
  syncing(): boolean;
  /** Handshaken peers, as "host:port". */
  peers(): string[];
}

export interface NodeStatus {
  readonly time: number;
  readonly root: { readonly height: number; readonly hash: Bytes; readonly hashes: number };
  readonly shards: ShardStatus[];
}

export class Coordinator {
  readonly root: RootChain;
  readonly shards: Shard[];
  readonly shardIds: number[];
  private readonly cfg: Config;
  private readonly gens: Int32Array[];
  private readonly sealer: SealerPool;
  private readonly log: (line: string) => void;
  private stopped = false;
  private polls: Promise<void>[] = [];
  private mining = false;
  private rootLoop: Promise<void> | null = null;
  private coinbase: Address;
  private headersSeen = 0;
  rootHashes = 0;
  readonly blockListeners: ((shard: number, ev: BlockEvent) => void)[] = [];
  readonly rootListeners: ((rb: RootBlock) => void)[] = [];
  /**
   * The P2P node attached to this coordinator (cluster/p2pNode.ts), if any. While it is syncing
   * the root sealing loop seals nothing: a block sealed on the stale tip would only be orphaned
   * by the peer's heavier chain.
   */
  p2p: P2pView | null = null;
  /** Root blocks are added one at a time (the write-ahead record holds one block). */
  private rootTail: Promise<unknown> = Promise.resolve();

  private constructor(cfg: Config, root: RootChain, shards: Shard[], gens: Int32Array[], sealer: SealerPool, log: (l: string) => void) {
    this.cfg = cfg;
    this.root = root;
    this.shards = shards;
    this.shardIds = shards.map((s) => s.shardId);
    this.gens = gens;
    this.sealer = sealer;
    this.log = log;
    const dev = devAccounts(cfg)[0];
    this.coinbase = { recipient: dev ? dev.recipient : new Uint8Array(20), fullShardKey: defaultKeyOf(this.shardIds[0]!) };
  }

  static async start(o: CoordinatorOptions): Promise<Coordinator> {
    const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
    await useFastKeccak();
    const cfg = o.config;
    const root = await RootChain.open(cfg, o.datadir ? await openLevelKv(join(o.datadir, 'root')) : memKv(), { pruneDepth: o.retainBlocks === undefined ? undefined : ROOT_PRUNE_DEPTH });
    const ids = allShardIds(cfg);
    const links = createXshardLinks(ids.length, cfg.ringBytes);
    const gens = ids.map(() => new Int32Array(new SharedArrayBuffer(4)));
    const configJson = configToJson(cfg);
    const fatal = o.onFatal ?? ((e: ChainError) => log(e.message));
    const shards: Shard[] = [];
    try {
      const inits: ShardInit[] = ids.map((id, i) => ({
        configJson, shardId: id, dir: o.datadir, links: links[i]!, shardIds: ids, workGen: gens[i]!.buffer as SharedArrayBuffer, kernel: o.kernel ?? 'auto', retainBlocks: o.retainBlocks,
      }));
      if (o.inProcess) for (const init of inits) shards.push(await InProcessShard.open(init));
      else {
        for (const init of inits) shards.push(new WorkerShard(init, fatal));
        await Promise.all(shards.map((s) => s.status())); // opens every shard (and surfaces open errors)
      }
    } catch (e) {
      await Promise.allSettled(shards.map((s) => s.close()));
      await root.close();
      throw e;
    }
    const c = new Coordinator(cfg, root, shards, gens, new SealerPool(cfg.root, o.kernel ?? 'auto', o.inProcess ?? false), log);
    await c.recover();
    c.polls = shards.map((s, i) => c.pollEvents(s, i));
    return c;
  }

  get config(): Config {
    return this.cfg;
  }

  /** DESIGN §9: replay the write-ahead root block, re-learn committed headers, catch shards up. */
  private async recover(): Promise<void> {
    const wal = await this.root.wal();
    for (const [i, s] of this.shards.entries()) {
      const headers = await s.committedHeaders();
      for (const [j, h] of headers.entries()) await this.root.addCommittedHeader(decodeMinorHeader(h), j === headers.length - 1);
      const st = await s.status();
      for (let h = Math.max(st.rootHeight - 1, 1); h <= this.root.tip.height; h++) {
        await this.sendRoot(i, this.root.index.canonicalAt(h)!.block);
      }
    }
    if (wal) {
      const e = this.root.index.get(wal);
      if (e) for (let i = 0; i < this.shards.length; i++) await this.sendRoot(i, e.block);
      await this.root.clearWal();
    }
  }

  private async pollEvents(s: Shard, i: number): Promise<void> {
    let after = 0;
    while (!this.stopped) {
      try {
        const r = await s.events(after, EVENT_POLL_MS);
        after = r.next;
        for (const ev of r.events) {
          await this.root.addCommittedHeader(decodeMinorHeader(ev.header), ev.isTip);
          this.headersSeen++;
          for (const l of this.blockListeners) l(this.shardIds[i]!, ev);
        }
      } catch (e) {
        if (this.stopped) return;
        this.log(`coordinator: events of shard 0x${s.shardId.toString(16)}: ${ChainError.from(e).message}`);
        await sleep(EVENT_POLL_MS);
      }
    }
  }

  /** Delivers a root block to shard `i`, its missing ancestors first; retries "not yet" for a while. */
  private async sendRoot(i: number, rb: RootBlock): Promise<void> {
    const bytes = encodeRootBlock(rb);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.shards[i]!.addRootBlock(bytes);
        return;
      } catch (e) {
        const err = ChainError.from(e);
        const parent = this.root.index.get(rb.header.hashPrevBlock);
        if (err.code === 'ROOT_PARENT_UNKNOWN' && parent && parent.height > 0) {
          await this.sendRoot(i, parent.block);
          continue;
        }
        if (err.cls !== 'notYet' || attempt >= ROOT_RETRY_LIMIT) throw err;
        await sleep(ROOT_RETRY_MS);
      }
    }
  }

  /** Validates and adds a root block, then delivers it to every shard behind the write-ahead record. */
  addRootBlock(rb: RootBlock): Promise<{ newTip: boolean }> {
    const run = this.rootTail.then(() => this.addRootBlockNow(rb), () => this.addRootBlockNow(rb));
    this.rootTail = run.catch(() => undefined);
    return run;
  }

  private async addRootBlockNow(rb: RootBlock): Promise<{ newTip: boolean }> {
    const hash = rootHeaderHash(rb.header);
    await this.root.setWal(hash);
    const r = await this.root.addBlock(rb, { nowSec: nowSec() });
    await Promise.all(this.shards.map((_, i) => this.sendRoot(i, rb)));
    await this.root.clearWal();
    for (const g of this.gens) { Atomics.add(g, 0, 1); Atomics.notify(g, 0); }
    if (r.newTip) for (const l of this.rootListeners) l(rb);
    return { newTip: r.newTip };
  }

  /**
   * Adds a shard block sealed elsewhere (remote mining, RPC) through the same path as a locally
   * mined one: the shard validates, stores and commits it, then the root learns its header (the
   * long-poll event reports it too; `addCommittedHeader` is idempotent).
   */
  async addShardBlock(i: number, block: Bytes): Promise<BlockEvent> {
    const ev = await this.shards[i]!.addBlock(block);
    await this.root.addCommittedHeader(decodeMinorHeader(ev.header), ev.isTip);
    return ev;
  }

  /** The index in `shards` of full shard id `shardId`; an unknown id is the caller's (a peer's) fault. */
  shardIndex(shardId: number): number {
    const i = this.shardIds.indexOf(shardId);
    if (i < 0) throw invalid('SHARD_UNKNOWN', `no shard 0x${shardId.toString(16)} here`);
    return i;
  }

  /**
   * Sync (DESIGN §10): minor blocks a peer served for shard `shardId` (encoded, oldest first) go
   * through the shard's normal add path; the root chain learns every committed header, then the
   * shard's refusal, if any, is thrown with its code.
   */
  async addShardBlocksForSync(shardId: number, blocks: Bytes[]): Promise<void> {
    const r = await this.shards[this.shardIndex(shardId)]!.addBlocksForSync(blocks);
    for (const ev of r.events) await this.root.addCommittedHeader(decodeMinorHeader(ev.header), ev.isTip);
    if (r.error) throw ChainError.fromObject(r.error);
  }

  /** Whether the local sealing loops run (`setMining`). */
  isMining(): boolean {
    return this.mining;
  }

  /** Starts (or stops) sealing on every shard and the root. */
  async setMining(on: boolean, txRate = 0): Promise<void> {
    const perShard = txRate / this.shards.length;
    await Promise.all(this.shards.map((s) => s.setMining({ on, coinbase: addressToBytes({ ...this.coinbase, fullShardKey: defaultKeyOf(s.shardId) }), txRate: perShard })));
    if (on && !this.mining) {
      this.mining = true;
      this.rootLoop = this.mineRoot();
    } else if (!on && this.mining) {
      this.mining = false;
      await this.rootLoop;
    }
  }

  private async mineRoot(): Promise<void> {
    let cand: { block: RootBlock; madeAt: number; tip: string; seen: number } | null = null;
    let nonce = BigInt(Math.floor(Math.random() * 2 ** 32)) << 16n;
    while (this.mining && !this.stopped) {
      if (this.p2p?.syncing()) { cand = null; await sleep(ROOT_HOLD_POLL_MS); continue; }
      const ahead = this.root.tip.block.header.createTime * 1000 - Date.now();
      if (ahead > 0) { await sleep(Math.min(ahead, ROOT_CANDIDATE_MAX_AGE_MS)); continue; }
      const tipKey = keyOf(this.root.tip.hash);
      if (!cand || cand.tip !== tipKey || Date.now() - cand.madeAt >= ROOT_CANDIDATE_MAX_AGE_MS || cand.seen !== this.headersSeen) {
        cand = { block: this.root.createBlockToMine(nowSec(), this.coinbase), madeAt: Date.now(), tip: tipKey, seen: this.headersSeen };
      }
      const h = cand.block.header;
      const r = await this.sealer.seal({ sealHash: rootSealHash(h), difficulty: h.difficulty, startNonce: nonce, height: h.height }, ROOT_SEAL_SLICE_MS);
      this.rootHashes += r.hashes;
      nonce = r.nextNonce;
      if (!r.found || !this.mining || this.p2p?.syncing()) continue;
      const sealed: RootBlock = { ...cand.block, header: { ...h, nonce: r.found.nonce, mixhash: r.found.mixhash } };
      cand = null;
      try {
        await this.addRootBlock(sealed);
      } catch (e) {
        this.log(`coordinator: mined root block rejected: ${ChainError.from(e).message}`);
      }
    }
  }

  /** The conservation equation (DESIGN §6) with every shard at its block confirmed by root block `root`. */
  async conservation(root: Bytes = this.root.tip.hash): Promise<Conservation> {
    const parts = await Promise.all(this.shards.map((s) => s.conservationPart(root)));
    let rootCoinbase = 0n;
    for (let e = this.root.index.get(root) ?? null; e && e.height > 0; e = e.parent) rootCoinbase += e.block.header.coinbaseAmount;
    return checkConservation(parts, rootCoinbase);
  }

  async status(): Promise<NodeStatus> {
    const shards = await Promise.all(this.shards.map((s) => s.status()));
    return { time: nowSec(), root: { height: this.root.tip.height, hash: this.root.tip.hash, hashes: this.rootHashes }, shards };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.setMining(false).catch(() => undefined);
    this.stopped = true;
    await Promise.allSettled(this.polls);
    await Promise.allSettled(this.shards.map((s) => s.close()));
    await this.sealer.close();
    await this.root.close();
  }
}
