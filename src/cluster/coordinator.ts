/**
 * The coordinator (main thread, DESIGN §1): owns the RootChain and the root database, starts a
 * shard per full shard id (a one-thread Piscina pool each, or in-thread), wires the cross-shard
 * rings, collects committed headers, seals root blocks in the sealer pool (rootSealLoop.ts) and
 * sends every root block to every shard behind a write-ahead record. It never hashes in a loop.
 *
 * Callers address shards by full shard id (`shard(id)`, `addShardBlock(id, …)`), read the root
 * chain through `rootTip`/`rootBlockByHeight`/`rootBlockByHash`, and follow new blocks through
 * `events` (each `on` returns its unsubscribe).
 */
import { join } from 'node:path';
import { addressToBytes, type Address } from '../core/address.js';
import { defaultKeyOf } from '../core/branch.js';
import type { Bytes } from '../core/bytes.js';
import type { Config } from '../core/config.js';
import { Emitter, type EventSource } from '../core/emitter.js';
import { ChainError } from '../core/errors.js';
import { decodeMinorHeader, type MinorHeader } from '../core/minorBlock.js';
import { rootHeaderHash, type RootBlock } from '../core/rootBlock.js';
import { devAccounts, minorGenesis } from '../consensus/genesis.js';
import { checkConservation, type Conservation } from '../consensus/conservation.js';
import type { RootEntry } from '../consensus/rootIndex.js';
import { SealerPool } from '../pow/sealerPool.js';
import { RingProbe, type RingUsage } from '../channel/ringProbe.js';
import { RootChain } from '../root/rootChain.js';
import { memKv } from '../store/memKv.js';
import { openLevelKv } from '../store/levelKv.js';
import type { BlockEvent, Shard } from '../shard/protocol.js';
import { useFastKeccak } from '../crypto/keccakWasm.js';
import type { CoordinatorEvents, CoordinatorOptions, NodeStatus } from './coordinatorTypes.js';
import { openShards } from './openShards.js';
import { P2pSlot, type P2pView } from './p2pView.js';
import { deliverRootBlock, recoverRoot } from './rootDelivery.js';
import { RootSealLoop } from './rootSealLoop.js';
import { pollShardEvents } from './shardEvents.js';
import { ShardRouter } from './shardRouter.js';

export type { P2pView } from './p2pView.js';
export type { CoordinatorEvents, CoordinatorOptions, NodeStatus } from './coordinatorTypes.js';

/** Root blocks below the tip whose minor headers a pruning node keeps (deeper root reorganisations are not expected in a local run). */
const ROOT_PRUNE_DEPTH = 16;

const nowSec = (): number => Math.floor(Date.now() / 1000);

export class Coordinator {
  /** The root chain; outside cluster/ read it through rootTip/rootBlockByHeight/rootBlockByHash. */
  readonly root: RootChain;
  readonly config: Config;
  /** Sync state and peers, for RPC (empty without P2P). */
  readonly p2p: P2pView;
  private readonly router: ShardRouter;
  private readonly emitter = new Emitter<CoordinatorEvents>();
  private readonly gens: Int32Array[];
  private readonly sealer: SealerPool;
  private readonly sealLoop: RootSealLoop;
  /** Where this node's block rewards go (root blocks; each shard takes the recipient with its own key). */
  readonly coinbase: Address;
  private stopped = false;
  private polls: Promise<void>[] = [];
  private headersSeen = 0;
  /** Blocks external miners submitted (getWork/submitWork) and this node accepted, per shard. */
  private readonly submitted = new Map<number, number>();
  /** Read-only probes of the cross-shard rings (metrics, dashboard). */
  private rings: { from: number; to: number; probe: RingProbe }[] = [];
  /** Root blocks are added one at a time (the write-ahead record holds one block). */
  private rootTail: Promise<unknown> = Promise.resolve();

  private constructor(cfg: Config, root: RootChain, shards: Shard[], gens: Int32Array[], sealer: SealerPool, log: (l: string) => void, p2p: P2pView, coinbase?: Address) {
    this.config = cfg;
    this.root = root;
    this.router = new ShardRouter(shards);
    this.gens = gens;
    this.sealer = sealer;
    this.p2p = p2p;
    const dev = devAccounts(cfg)[0];
    this.coinbase = coinbase ?? { recipient: dev ? dev.recipient : new Uint8Array(20), fullShardKey: defaultKeyOf(this.router.ids[0]!) };
    this.sealLoop = new RootSealLoop({
      tip: () => ({ key: root.tip.key, createTime: root.tip.block.header.createTime }),
      headersSeen: () => this.headersSeen,
      syncing: () => p2p.syncing(),
      build: (now) => root.createBlockToMine(now, this.coinbase),
      seal: (job, maxMs) => sealer.seal(job, maxMs),
      add: (rb) => this.addRootBlock(rb),
      log,
    });
  }

  static async start(o: CoordinatorOptions): Promise<Coordinator> {
    const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
    await useFastKeccak();
    const cfg = o.config;
    const root = await RootChain.open(cfg, o.datadir ? await openLevelKv(join(o.datadir, 'root')) : memKv(), { pruneDepth: o.retainBlocks === undefined ? undefined : ROOT_PRUNE_DEPTH });
    let opened;
    try {
      opened = await openShards({
        config: cfg, datadir: o.datadir, kernel: o.kernel ?? 'auto', inProcess: o.inProcess ?? false, retainBlocks: o.retainBlocks,
        onFatal: o.onFatal ?? ((e: ChainError) => log(e.message)),
      });
    } catch (e) {
      await root.close();
      throw e;
    }
    const sealer = new SealerPool(cfg.root, o.kernel ?? 'auto', o.inProcess ?? false);
    const c = new Coordinator(cfg, root, opened.shards, opened.gens, sealer, log, o.p2p ?? new P2pSlot(), o.coinbase);
    c.rings = opened.rings.map((r) => ({ from: r.from, to: r.to, probe: new RingProbe(r.ring) }));
    await recoverRoot(root, c.router.all());
    c.polls = c.router.all().map((s) => pollShardEvents(s, {
      stopped: () => c.stopped,
      onEvent: async (ev) => {
        await root.addCommittedHeader(decodeMinorHeader(ev.header), ev.isTip);
        c.headersSeen++;
        // The block before the tip move: a peer told of the tip first would sync a block the fast path is bringing it.
        if (ev.block) c.emitter.emit('sealedBlock', s.shardId, ev.block);
        c.emitter.emit('block', s.shardId, ev);
      },
      onTxs: (txs) => c.emitter.emit('txs', s.shardId, txs),
      log,
    }));
    return c;
  }

  // ---- shards by full shard id ------------------------------------------------------------

  /** Full shard ids of this node's shards, ascending. */
  get shardIds(): readonly number[] {
    return this.router.ids;
  }

  hasShard(fullShardId: number): boolean {
    return this.router.has(fullShardId);
  }

  /** The shard `fullShardId`; SHARD_UNKNOWN (class invalid) when this node runs no such shard. */
  shard(fullShardId: number): Shard {
    return this.router.get(fullShardId);
  }

  /** `fn` on every shard concurrently, results in `shardIds` order. */
  eachShard<T>(fn: (s: Shard, fullShardId: number) => Promise<T>): Promise<T[]> {
    return this.router.each(fn);
  }

  // ---- root chain queries -----------------------------------------------------------------

  rootTip(): RootEntry {
    return this.root.tip;
  }

  /** The canonical root block at `height`, or undefined past the tip. */
  rootBlockByHeight(height: number): RootEntry | undefined {
    return this.root.index.canonicalAt(height);
  }

  /** Any known root block (canonical or not) by hash. */
  rootBlockByHash(hash: Bytes): RootEntry | undefined {
    return this.root.index.get(hash);
  }

  // ---- events -----------------------------------------------------------------------------

  /** `block` and `rootTip` events; each `on` returns its unsubscribe. */
  get events(): EventSource<CoordinatorEvents> {
    return this.emitter;
  }

  /** Validates and adds a root block, then delivers it to every shard behind the write-ahead record. */
  addRootBlock(rb: RootBlock): Promise<{ newTip: boolean }> {
    const run = this.rootTail.then(() => this.addRootBlockNow(rb), () => this.addRootBlockNow(rb));
    this.rootTail = run.catch(() => undefined);
    return run;
  }

  private async addRootBlockNow(rb: RootBlock): Promise<{ newTip: boolean }> {
    await this.root.setWal(rootHeaderHash(rb.header));
    const r = await this.root.addBlock(rb, { nowSec: nowSec() });
    await this.router.each((s) => deliverRootBlock(s, rb, this.root.index));
    await this.root.clearWal();
    for (const g of this.gens) { Atomics.add(g, 0, 1); Atomics.notify(g, 0); }
    if (r.newTip) this.emitter.emit('rootTip', rb);
    return { newTip: r.newTip };
  }

  /**
   * Adds a block of shard `fullShardId` sealed elsewhere (remote mining, RPC) through the same
   * path as a locally mined one: the shard validates, stores and commits it, then the root
   * learns its header (the long-poll event reports it too; `addCommittedHeader` is idempotent).
   */
  async addShardBlock(fullShardId: number, block: Bytes, o: { sealedHere?: boolean } = {}): Promise<BlockEvent> {
    const ev = await this.shard(fullShardId).addBlock(block);
    await this.root.addCommittedHeader(decodeMinorHeader(ev.header), ev.isTip);
    if (o.sealedHere) {
      this.submitted.set(fullShardId, (this.submitted.get(fullShardId) ?? 0) + 1);
      this.emitter.emit('sealedBlock', fullShardId, block);
    }
    return ev;
  }

  /** Relay on (P2P runs): shards report admitted transfers and sealed blocks for announcing (`txs`, `sealedBlock` events). */
  async setRelay(on: boolean): Promise<void> {
    await this.router.each((s) => s.setRelay(on));
  }

  /** Holds (or releases) local sealing of shard `fullShardId` while it syncs. */
  async holdSealing(fullShardId: number, held: boolean): Promise<void> {
    await this.shard(fullShardId).holdSealing(held);
  }

  /** The newest committed header shard `fullShardId` reported as its tip (what P2P announces). */
  shardTipHeader(fullShardId: number): MinorHeader {
    this.shard(fullShardId);
    return this.root.reportedTip(fullShardId) ?? minorGenesis(this.config, fullShardId).block.header;
  }

  /**
   * Sync (DESIGN §10): minor blocks a peer served for shard `fullShardId` (encoded, oldest first)
   * go through the shard's normal add path; the root chain learns every committed header, then
   * the shard's refusal, if any, is thrown with its code.
   */
  async addShardBlocksForSync(fullShardId: number, blocks: Bytes[]): Promise<void> {
    const r = await this.shard(fullShardId).addBlocksForSync(blocks);
    for (const ev of r.events) await this.root.addCommittedHeader(decodeMinorHeader(ev.header), ev.isTip);
    if (r.error) throw ChainError.fromObject(r.error);
  }

  /** Whether the local sealing loops run (`setMining`). */
  isMining(): boolean {
    return this.sealLoop.isRunning;
  }

  /** Starts (or stops) sealing on every shard and the root. */
  async setMining(on: boolean, txRate = 0): Promise<void> {
    const perShard = txRate / this.router.ids.length;
    await this.router.each((s, id) => s.setMining({ on, coinbase: addressToBytes({ ...this.coinbase, fullShardKey: defaultKeyOf(id) }), txRate: perShard }));
    if (on && !this.stopped) this.sealLoop.start();
    else await this.sealLoop.stop();
  }

  /** The conservation equation (DESIGN §6) with every shard at its block confirmed by root block `root`. */
  async conservation(root: Bytes = this.root.tip.hash): Promise<Conservation> {
    const parts = await this.router.each((s) => s.conservationPart(root));
    let rootCoinbase = 0n;
    for (let e = this.root.index.get(root) ?? null; e && e.height > 0; e = e.parent) rootCoinbase += e.block.header.coinbaseAmount;
    return checkConservation(parts, rootCoinbase);
  }

  async status(): Promise<NodeStatus> {
    const shards = (await this.router.each((s) => s.status())).map((s) => ({ ...s, blocksMined: s.blocksMined + (this.submitted.get(s.shardId) ?? 0) }));
    const h = this.root.tip.block.header;
    return { time: nowSec(), root: { height: this.root.tip.height, hash: this.root.tip.hash, hashes: this.sealLoop.hashes, difficulty: h.difficulty, createTime: h.createTime }, shards };
  }

  /** Occupancy and unacked lists of every cross-shard ring, by ordered pair of full shard ids. */
  xshardRings(): (RingUsage & { readonly from: number; readonly to: number })[] {
    return this.rings.map((r) => ({ from: r.from, to: r.to, ...r.probe.usage() }));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.setMining(false).catch(() => undefined);
    this.stopped = true;
    await Promise.allSettled(this.polls);
    await Promise.allSettled(this.router.all().map((s) => s.close()));
    await this.sealer.close();
    await this.root.close();
  }
}
