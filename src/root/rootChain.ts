/**
 * RootChain: the coordinator's root chain (DESIGN §8). It keeps the committed minor headers
 * that shards report, assembles root blocks from them, validates and adds root blocks (fork
 * choice by total difficulty), and keeps the write-ahead record of the root block being
 * delivered to the shards.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { allShardIds, configToJson, shardSizeOf, type Config } from '../core/config.js';
import { keyToFullShardId } from '../core/branch.js';
import { internal } from '../core/errors.js';
import { configMismatchMessage } from '../core/configDiff.js';
import type { Address } from '../core/address.js';
import { decodeMinorHeader, encodeMinorHeader, minorHeaderHash, type MinorHeader } from '../core/minorBlock.js';
import { decodeRootBlock, encodeRootBlock, minorHeadersMerkleRoot, rootHeaderHash, type RootBlock } from '../core/rootBlock.js';
import { nextDifficulty } from '../consensus/difficulty.js';
import { minorGenesis, rootGenesis } from '../consensus/genesis.js';
import { rootCoinbaseAmount } from '../consensus/rewards.js';
import { validateRootBody, validateRootHeader } from '../consensus/validateRootBlock.js';
import type { BatchOp, KV } from '../store/kv.js';
import { key, metaKey, P_HEADER, P_ROOT, prefixRange } from '../store/keys.js';
import { RootIndex, type RootEntry } from '../consensus/rootIndex.js';

export interface AddRootOptions {
  readonly nowSec: number;
  readonly skipSeal?: boolean;
}

export interface RootChainOptions {
  /**
   * Long in-memory runs: keep the minor headers of only this many canonical root blocks below
   * the tip (and every header not yet confirmed). Root reorganisations deeper than that are not
   * supported afterwards, nor is reopening the store.
   */
  readonly pruneDepth?: number;
}

export class RootChain {
  readonly index: RootIndex;
  private readonly cfg: Config;
  private readonly kv: KV;
  private readonly shardIds: number[];
  private readonly committed = new Map<string, MinorHeader>();
  /** Per shard: the newest committed header the shard reported as its tip. */
  private readonly shardTips = new Map<number, MinorHeader>();

  private readonly pruneDepth: number | undefined;
  /** Headers whose root block was pruned but which were still some shard's last confirmed one. */
  private readonly kept = new Map<string, Bytes>();

  private constructor(cfg: Config, kv: KV, opts: RootChainOptions) {
    this.cfg = cfg;
    this.kv = kv;
    this.pruneDepth = opts.pruneDepth;
    this.shardIds = allShardIds(cfg);
    const genesisMinor = new Map<number, Bytes>();
    for (const id of this.shardIds) {
      const g = minorGenesis(cfg, id).block.header;
      genesisMinor.set(id, minorHeaderHash(g));
      this.committed.set(keyOf(minorHeaderHash(g)), g);
      this.shardTips.set(id, g);
    }
    this.index = new RootIndex(rootGenesis(cfg), genesisMinor);
  }

  static async open(cfg: Config, kv: KV, opts: RootChainOptions = {}): Promise<RootChain> {
    const c = new RootChain(cfg, kv, opts);
    await c.load();
    return c;
  }

  private async load(): Promise<void> {
    const cfgJson = new TextEncoder().encode(configToJson(this.cfg));
    const stored = await this.kv.get(metaKey('config'));
    if (!stored) {
      await this.kv.batch([
        { type: 'put', key: metaKey('config'), value: cfgJson },
        { type: 'put', key: metaKey('tip'), value: this.index.genesis.hash },
      ]);
      return;
    }
    if (Buffer.compare(Buffer.from(stored), Buffer.from(cfgJson)) !== 0) {
      throw internal('CONFIG_MISMATCH', configMismatchMessage('the root database', new TextDecoder().decode(stored), this.cfg));
    }
    for await (const [, v] of this.kv.iterate(prefixRange(P_HEADER))) {
      const h = decodeMinorHeader(v);
      this.committed.set(keyOf(minorHeaderHash(h)), h);
    }
    const blocks: RootBlock[] = [];
    for await (const [, v] of this.kv.iterate(prefixRange(P_ROOT))) blocks.push(decodeRootBlock(v));
    blocks.sort((a, b) => a.header.height - b.header.height);
    for (const b of blocks) this.index.add(b);
    const tip = this.index.get((await this.kv.get(metaKey('tip')))!);
    if (tip) this.index.setTip(tip);
  }

  async close(): Promise<void> {
    await this.kv.close();
  }

  get tip(): RootEntry {
    return this.index.tip;
  }

  get config(): Config {
    return this.cfg;
  }

  isCommitted(hash: Bytes): boolean {
    return this.committed.has(keyOf(hash));
  }

  committedHeader(hash: Bytes): MinorHeader | undefined {
    return this.committed.get(keyOf(hash));
  }

  /** The newest committed header shard `shard` reported as its tip (its genesis block at first). */
  reportedTip(shard: number): MinorHeader | undefined {
    return this.shardTips.get(shard);
  }

  /** A shard reports a committed header (`isTip`: it is that shard's canonical tip). */
  async addCommittedHeader(h: MinorHeader, isTip: boolean): Promise<void> {
    const hash = minorHeaderHash(h);
    const k = keyOf(hash);
    if (!this.committed.has(k)) {
      await this.kv.batch([{ type: 'put', key: key(P_HEADER, hash), value: encodeMinorHeader(h) }]);
      this.committed.set(k, h);
    }
    if (isTip) this.shardTips.set(h.branch, h);
  }

  /** Committed headers of `shard` after the one `root` confirmed, up to the reported tip (oldest first). */
  private pendingHeaders(shard: number, root: RootEntry): MinorHeader[] {
    const confirmed = root.confirmed.get(shard)!;
    const confirmedHeight = this.committed.get(keyOf(confirmed))?.height ?? 0;
    const out: MinorHeader[] = [];
    let h = this.shardTips.get(shard);
    while (h && h.height > confirmedHeight) {
      out.push(h);
      h = this.committed.get(keyOf(h.hashPrevMinorBlock));
    }
    if (!h || keyOf(minorHeaderHash(h)) !== keyOf(confirmed)) return [];
    return out.reverse();
  }

  /** Assembles an unsealed root block on the tip (or `parent`) from committed headers (DESIGN §8). */
  createBlockToMine(nowSec: number, coinbase: Address, parent?: RootEntry): RootBlock {
    const tip = parent ?? this.index.tip;
    const createTime = Math.max(nowSec, tip.block.header.createTime + 1);
    const headers: MinorHeader[] = [];
    for (const shard of this.shardIds) {
      let n = 0;
      for (const h of this.pendingHeaders(shard, tip)) {
        if (n >= this.cfg.rootMaxHeadersPerShard || h.createTime > createTime || !this.index.isAncestor(h.hashPrevRootBlock, tip.hash)) break;
        headers.push(h);
        n++;
      }
    }
    const difficulty = nextDifficulty(tip.block.header.difficulty, tip.block.header.createTime, createTime, this.cfg.root);
    return {
      header: {
        version: 0, height: tip.height + 1, hashPrevBlock: tip.hash, hashMerkleRoot: minorHeadersMerkleRoot(headers), coinbase,
        coinbaseAmount: rootCoinbaseAmount(this.cfg.rootCoinbaseAmount, headers.map((h) => h.coinbaseAmount), this.cfg.taxRate),
        createTime, difficulty, totalDifficulty: tip.td + difficulty, nonce: 0n, mixhash: new Uint8Array(32),
      },
      minorHeaders: headers,
    };
  }

  /** Validates and stores a root block; returns whether it became the tip. */
  async addBlock(rb: RootBlock, opts: AddRootOptions): Promise<{ known: boolean; newTip: boolean; entry: RootEntry }> {
    const hash = rootHeaderHash(rb.header);
    const existing = this.index.get(hash);
    if (existing) return { known: true, newTip: false, entry: existing };
    const parent = this.index.get(rb.header.hashPrevBlock);
    validateRootHeader(rb.header, parent?.block.header, { consensus: this.cfg.root, nowSec: opts.nowSec, skipSeal: opts.skipSeal });
    validateRootBody(rb, {
      consensus: this.cfg.root, nowSec: opts.nowSec, maxHeadersPerShard: this.cfg.rootMaxHeadersPerShard,
      rootReward: this.cfg.rootCoinbaseAmount, tax: this.cfg.taxRate, shardIds: new Set(this.shardIds),
      keyToShard: (k) => keyToFullShardId(k, shardSizeOf(this.cfg)),
      isCommitted: (h) => this.isCommitted(h), isRootAncestor: (a, b) => this.index.isAncestor(a, b),
      lastConfirmed: (s) => parent!.confirmed.get(s)!,
    });
    const { entry, newTip } = this.index.add(rb);
    const ops: BatchOp[] = [{ type: 'put', key: key(P_ROOT, hash), value: encodeRootBlock(rb) }];
    if (newTip) ops.push({ type: 'put', key: metaKey('tip'), value: hash });
    if (newTip && this.pruneDepth !== undefined) ops.push(...this.pruneOps(this.pruneDepth));
    await this.kv.batch(ops);
    return { known: false, newTip, entry };
  }

  /**
   * Forgets the minor headers confirmed by canonical root blocks more than `depth` below the tip,
   * except each shard's last confirmed one as of the oldest root block kept (the chain of
   * pending headers is walked back to it).
   */
  private pruneOps(depth: number): BatchOp[] {
    const oldestKept = this.index.canonicalAt(this.index.tip.height - depth);
    if (!oldestKept) return [];
    const keep = new Set([...oldestKept.confirmed.values()].map(keyOf));
    const ops: BatchOp[] = [];
    const forget = (h: Bytes): void => {
      const k = keyOf(h);
      if (keep.has(k)) { this.kept.set(k, h); return; }
      this.kept.delete(k);
      this.committed.delete(k);
      ops.push({ type: 'del', key: key(P_HEADER, h) });
    };
    for (const h of [...this.kept.values()]) forget(h);
    for (const e of this.index.pruneBodies(oldestKept.height)) {
      ops.push({ type: 'del', key: key(P_ROOT, e.hash) });
      for (const h of e.minorHashes) forget(h);
    }
    return ops;
  }

  // ---- write-ahead record of the root block being delivered to the shards ---------------

  async setWal(hash: Bytes): Promise<void> {
    await this.kv.batch([{ type: 'put', key: metaKey('wal'), value: hash }]);
  }

  async clearWal(): Promise<void> {
    await this.kv.batch([{ type: 'del', key: metaKey('wal') }]);
  }

  async wal(): Promise<Bytes | undefined> {
    return this.kv.get(metaKey('wal'));
  }
}
