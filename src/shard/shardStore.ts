/**
 * The shard database through one typed repository (key layout: store/keys.ts): readers for each
 * record, and builders of the batch operations that write or delete them, so every change of a
 * block is composed into one atomic `batch` by its caller (importBlock, prune, fork choice).
 */
import type { Bytes } from '../core/bytes.js';
import { decodeDepositList, encodeDepositList, type Deposit } from '../core/deposit.js';
import { decodeMinorBlock, encodeMinorBlock, type MinorBlock, type MinorHeader, type MinorMeta } from '../core/minorBlock.js';
import { decodeRootBlock, encodeRootBlock, type RootBlock } from '../core/rootBlock.js';
import type { AccountChange } from '../consensus/stateOverlay.js';
import type { BlockStats } from '../consensus/conservation.js';
import type { BatchOp, KV } from '../store/kv.js';
import {
  key, metaKey, P_BLOCK, P_COMMIT, P_DEPOSIT_INDEX, P_DIFF, P_HEADER, P_OUT_LISTS, P_ROOT, P_STATS, P_TX_INDEX, P_XSHARD, prefixRange,
} from '../store/keys.js';
import { decodeDiff, decodeHeaderMeta, decodeOutLists, decodeStats, encodeDiff, encodeHeaderMeta, encodeOutLists, encodeStats } from './records.js';
import { locate, type IndexedAt } from './txIndex.js';

/** Metadata names ('M' + name). */
type MetaName = 'tip' | 'rootTip' | 'config';
/** One byte marks a committed block; its presence is what counts. */
const COMMITTED = Uint8Array.of(1);
/** Per-block records a pruned block loses (the anchor keeps its header and statistics). */
const BODY_PREFIXES = [P_BLOCK, P_OUT_LISTS, P_DIFF] as const;
const ALL_BLOCK_PREFIXES = [P_HEADER, P_STATS, P_COMMIT, P_BLOCK, P_OUT_LISTS, P_DIFF] as const;

const put = (k: Bytes, value: Bytes): BatchOp => ({ type: 'put', key: k, value });
const del = (k: Bytes): BatchOp => ({ type: 'del', key: k });

export class ShardStore {
  constructor(private readonly kv: KV) {}

  // ---- writes (batch operations) --------------------------------------------------------
  static putBlock(hash: Bytes, b: MinorBlock): BatchOp { return put(key(P_BLOCK, hash), encodeMinorBlock(b)); }
  static putHeader(hash: Bytes, h: MinorHeader, m: MinorMeta): BatchOp { return put(key(P_HEADER, hash), encodeHeaderMeta(h, m)); }
  static putDiff(hash: Bytes, diff: readonly AccountChange[]): BatchOp { return put(key(P_DIFF, hash), encodeDiff(diff)); }
  static putOutLists(hash: Bytes, lists: ReadonlyMap<number, readonly Deposit[]>): BatchOp { return put(key(P_OUT_LISTS, hash), encodeOutLists(lists)); }
  static putStats(hash: Bytes, s: BlockStats): BatchOp { return put(key(P_STATS, hash), encodeStats(s)); }
  static putCommitted(hash: Bytes): BatchOp { return put(key(P_COMMIT, hash), COMMITTED); }
  static putXshardList(sourceHash: Bytes, list: readonly Deposit[]): BatchOp { return put(key(P_XSHARD, sourceHash), encodeDepositList(list)); }
  static putRoot(hash: Bytes, rb: RootBlock): BatchOp { return put(key(P_ROOT, hash), encodeRootBlock(rb)); }
  static putMeta(name: MetaName, value: Bytes): BatchOp { return put(metaKey(name), value); }

  /** A block kept as a pruning anchor: its body, emitted lists and diff go. */
  static delBody(hash: Bytes): BatchOp[] { return BODY_PREFIXES.map((p) => del(key(p, hash))); }
  /** A block below the anchor: every record goes. */
  static delBlock(hash: Bytes): BatchOp[] { return ALL_BLOCK_PREFIXES.map((p) => del(key(p, hash))); }
  static delXshardList(sourceHash: Bytes): BatchOp { return del(key(P_XSHARD, sourceHash)); }
  static delRoot(hash: Bytes): BatchOp { return del(key(P_ROOT, hash)); }

  batch(ops: BatchOp[]): Promise<void> { return this.kv.batch(ops); }
  close(): Promise<void> { return this.kv.close(); }

  // ---- reads -----------------------------------------------------------------------------
  meta(name: MetaName): Promise<Bytes | undefined> { return this.kv.get(metaKey(name)); }

  async block(hash: Bytes): Promise<MinorBlock | undefined> {
    const v = await this.kv.get(key(P_BLOCK, hash));
    return v ? decodeMinorBlock(v) : undefined;
  }

  async diff(hash: Bytes): Promise<AccountChange[] | undefined> {
    const v = await this.kv.get(key(P_DIFF, hash));
    return v ? decodeDiff(v) : undefined;
  }

  async outLists(hash: Bytes): Promise<Map<number, Deposit[]>> {
    const v = await this.kv.get(key(P_OUT_LISTS, hash));
    return v ? decodeOutLists(v) : new Map();
  }

  async xshardList(sourceHash: Bytes): Promise<Deposit[] | undefined> {
    const v = await this.kv.get(key(P_XSHARD, sourceHash));
    return v ? decodeDepositList(v) : undefined;
  }

  async *roots(): AsyncIterable<RootBlock> {
    for await (const [, v] of this.kv.iterate(prefixRange(P_ROOT))) yield decodeRootBlock(v);
  }

  async *headers(): AsyncIterable<{ header: MinorHeader; meta: MinorMeta }> {
    for await (const [, v] of this.kv.iterate(prefixRange(P_HEADER))) yield decodeHeaderMeta(v);
  }

  /** Statistics by block hash (the key without its prefix). */
  async *stats(): AsyncIterable<[Bytes, BlockStats]> {
    for await (const [k, v] of this.kv.iterate(prefixRange(P_STATS))) yield [k.subarray(1), decodeStats(v)];
  }

  /** Hashes of committed blocks. */
  async *committed(): AsyncIterable<Bytes> {
    for await (const [k] of this.kv.iterate(prefixRange(P_COMMIT))) yield k.subarray(1);
  }

  /** The canonical block that includes transaction `hash` (RPC). */
  txLocation(hash: Bytes, canonical: (blockHash: Bytes) => boolean): Promise<IndexedAt | null> {
    return locate(this.kv, P_TX_INDEX, hash, canonical);
  }

  /** The canonical block that applied the cross-shard deposit of transaction `hash`. */
  depositLocation(hash: Bytes, canonical: (blockHash: Bytes) => boolean): Promise<IndexedAt | null> {
    return locate(this.kv, P_DEPOSIT_INDEX, hash, canonical);
  }
}
