/**
 * The in-memory tree of known root blocks, used by the coordinator's RootChain and by every
 * shard's copy of the root chain: ancestry, the canonical chain by height, fork choice by total
 * difficulty (strictly greater wins; first seen wins ties), and for every root block the last
 * header of each shard confirmed on its chain. A long in-memory run may drop the minor headers
 * of deeply confirmed canonical root blocks (`pruneBodies`); their headers, ancestry and
 * confirmed maps stay.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { notYet } from '../core/errors.js';
import { minorHeaderHash } from '../core/minorBlock.js';
import { rootHeaderHash, type RootBlock } from '../core/rootBlock.js';
import type { RootInfo } from './applyDeposits.js';

export interface RootEntry {
  readonly block: RootBlock;
  readonly hash: Bytes;
  readonly key: string;
  readonly height: number;
  readonly td: bigint;
  readonly parent: RootEntry | null;
  /** Last confirmed header hash per shard on the chain ending here. */
  readonly confirmed: ReadonlyMap<number, Bytes>;
  readonly info: RootInfo;
  /** The minor headers were dropped (`pruneBodies`): `block.minorHeaders` is empty. */
  readonly pruned: boolean;
}

type MutableEntry = { -readonly [K in keyof RootEntry]: RootEntry[K] };

export class RootIndex {
  private readonly entries = new Map<string, RootEntry>();
  private canonical: RootEntry[] = [];
  /** Canonical entries below this height have had their minor headers dropped. */
  private bodiesFrom = 1;

  /** `genesisMinor` gives each shard's genesis block hash (confirmed by the root genesis). */
  constructor(genesis: RootBlock, genesisMinor: ReadonlyMap<number, Bytes>) {
    const e = this.makeEntry(genesis, null, genesisMinor);
    this.entries.set(e.key, e);
    this.canonical = [e];
  }

  private makeEntry(block: RootBlock, parent: RootEntry | null, baseConfirmed: ReadonlyMap<number, Bytes>): RootEntry {
    const hash = rootHeaderHash(block.header);
    const confirmed = new Map(baseConfirmed);
    const minorHashes = block.minorHeaders.map(minorHeaderHash);
    block.minorHeaders.forEach((h, i) => confirmed.set(h.branch, minorHashes[i]!));
    const h = block.header;
    return {
      block, hash, key: keyOf(hash), height: h.height, td: h.totalDifficulty, parent, confirmed,
      info: { hash, height: h.height, coinbase: h.coinbase, coinbaseAmount: h.coinbaseAmount, minorHeaders: block.minorHeaders, minorHashes },
      pruned: false,
    };
  }

  get tip(): RootEntry {
    return this.canonical[this.canonical.length - 1]!;
  }

  get genesis(): RootEntry {
    return this.canonical[0]!;
  }

  get(hash: Bytes): RootEntry | undefined {
    return this.entries.get(keyOf(hash));
  }

  has(hash: Bytes): boolean {
    return this.entries.has(keyOf(hash));
  }

  get size(): number {
    return this.entries.size;
  }

  canonicalAt(height: number): RootEntry | undefined {
    return this.canonical[height];
  }

  isCanonical(e: RootEntry): boolean {
    return this.canonical[e.height] === e;
  }

  /**
   * Adds a root block whose parent is known (no validation here). Returns whether it became
   * the tip. Adding a known block is a no-op.
   */
  add(block: RootBlock): { entry: RootEntry; newTip: boolean; known: boolean } {
    const existing = this.get(rootHeaderHash(block.header));
    if (existing) return { entry: existing, newTip: false, known: true };
    const parent = this.get(block.header.hashPrevBlock);
    if (!parent) throw notYet('ROOT_PARENT_UNKNOWN', `parent of root block ${block.header.height} is unknown`);
    const e = this.makeEntry(block, parent, parent.confirmed);
    this.entries.set(e.key, e);
    if (e.td <= this.tip.td) return { entry: e, newTip: false, known: false };
    this.setTip(e);
    return { entry: e, newTip: true, known: false };
  }

  /** Makes `e` the tip and rewrites the canonical index back to the fork point. */
  setTip(e: RootEntry): void {
    const chain: RootEntry[] = [];
    let x: RootEntry | null = e;
    while (x && this.canonical[x.height] !== x) { chain.push(x); x = x.parent; }
    this.canonical.length = x ? x.height + 1 : 0;
    for (let i = chain.length - 1; i >= 0; i--) this.canonical.push(chain[i]!);
  }

  /**
   * Drops the minor headers of canonical root blocks below `height` (never the tip's parent or
   * the tip) and returns what was dropped, so that the caller can delete stored copies. Forks
   * below that depth keep theirs; a reorganisation past it is not supported afterwards.
   */
  pruneBodies(height: number): { readonly hash: Bytes; readonly minorHashes: readonly Bytes[] }[] {
    const out: { hash: Bytes; minorHashes: readonly Bytes[] }[] = [];
    const upTo = Math.min(height, this.tip.height - 1);
    for (; this.bodiesFrom < upTo; this.bodiesFrom++) {
      const e = this.canonical[this.bodiesFrom] as MutableEntry | undefined;
      if (!e || e.pruned) continue;
      out.push({ hash: e.hash, minorHashes: e.info.minorHashes });
      e.block = { header: e.block.header, minorHeaders: [] };
      e.info = { ...e.info, minorHeaders: [], minorHashes: [] };
      e.pruned = true;
    }
    return out;
  }

  /** The ancestor of `e` at `height` (or e itself). */
  ancestorAt(e: RootEntry, height: number): RootEntry | undefined {
    if (height > e.height || height < 0) return undefined;
    if (this.isCanonical(e)) return this.canonical[height];
    let x: RootEntry | null = e;
    while (x && x.height > height) x = x.parent;
    return x ?? undefined;
  }

  /** True when root block `a` is an ancestor of or equal to `b`; false if either is unknown. */
  isAncestor(a: Bytes, b: Bytes): boolean {
    const ea = this.get(a);
    const eb = this.get(b);
    if (!ea || !eb) return false;
    return this.ancestorAt(eb, ea.height) === ea;
  }

  /** Last confirmed header of `shard` on the chain ending at root block `root`. */
  lastConfirmed(root: RootEntry, shard: number): Bytes | undefined {
    return root.confirmed.get(shard);
  }
}
