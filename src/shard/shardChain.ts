/**
 * ShardChain: one shard's chain, state, pool and copy of the root chain (DESIGN §5–§7), as one
 * object over its parts (chainParts.ts). Runs in one thread (the shard's worker, or in-process
 * for tests); state changes are serialised by the caller (one task at a time). The work is in
 * files named after it: loadChain, admitTx, produceBlock, importBlock, importRootBlock,
 * forkChoice, prune; the database goes through shardStore.
 */
import type { Address } from '../core/address.js';
import type { Bytes } from '../core/bytes.js';
import type { Config } from '../core/config.js';
import type { Deposit } from '../core/deposit.js';
import { ChainError, notYet } from '../core/errors.js';
import type { MinorBlock } from '../core/minorBlock.js';
import type { RootBlock } from '../core/rootBlock.js';
import type { Transaction } from '../core/transaction.js';
import type { Account, AccountTrie } from '../consensus/accountTrie.js';
import type { ShardPart } from '../consensus/conservation.js';
import type { RootEntry } from '../consensus/rootIndex.js';
import type { KV } from '../store/kv.js';
import { admitTx, admitTxSync } from './admitTx.js';
import type { BlockHistory, HistoryEntry } from './blockHistory.js';
import type { BlockNode } from './blockTree.js';
import { createParts, type ChainParts } from './chainParts.js';
import { confirmedTip } from './forkChoice.js';
import { importBlock, type AddBlockOptions, type AddBlockResult } from './importBlock.js';
import { importRootBlock, type RootImport } from './importRootBlock.js';
import { loadChain } from './loadChain.js';
import { produceBlock } from './produceBlock.js';
import { ShardStore } from './shardStore.js';
import type { IndexedAt } from './txIndex.js';
import type { TxPool } from './txPool.js';

export type { AddBlockOptions, AddBlockResult } from './importBlock.js';

export class ShardChain {
  private constructor(private readonly p: ChainParts) {}

  /**
   * Opens (or initialises) the shard's database and rebuilds the in-memory chain.
   * `retainBlocks`: keep block bodies, emitted lists and received lists only this many blocks
   * (and root blocks) behind the confirmed tip, so long in-memory runs stay flat in memory.
   */
  static async open(cfg: Config, shardId: number, kv: KV, opts: { retainBlocks?: number } = {}): Promise<ShardChain> {
    const p = createParts(cfg, shardId, kv, opts.retainBlocks);
    await loadChain(p);
    return new ShardChain(p);
  }

  close(): Promise<void> { return this.p.store.close(); }

  // ---- queries -------------------------------------------------------------------------
  get shardId(): number { return this.p.shardId; }
  get pool(): TxPool { return this.p.pool; }
  get config(): Config { return this.p.cfg; }
  get tip(): BlockNode { return this.p.tree.tip; }
  get rootTip(): RootEntry { return this.p.roots.tip; }
  /** The last block of this shard confirmed by the root tip. */
  get confirmedTip(): BlockNode { return confirmedTip(this.p); }
  /** The canonical blocks that left the tree below the pruning anchor (pruning chains only). */
  get history(): BlockHistory { return this.p.history; }
  block(hash: Bytes): BlockNode | undefined { return this.p.tree.get(hash); }
  canonicalAt(height: number): BlockNode | undefined { return this.p.tree.canonicalAt(height); }
  rootBlock(hash: Bytes): RootEntry | undefined { return this.p.roots.get(hash); }
  /** Stored blocks at `height`, canonical or not (QuarkChain's stale-block count). */
  blockCountAt(height: number): number { return this.p.tree.countAt(height); }
  getBlock(hash: Bytes): Promise<MinorBlock | undefined> { return this.p.store.block(hash); }
  async account(recipient: Bytes, at: BlockNode = this.tip): Promise<Account> { return (await this.p.states.of(at)).get(recipient); }
  stateAt(at: BlockNode = this.tip): Promise<AccountTrie> { return this.p.states.of(at); }

  /** The canonical chain newest first: the tree from the tip down to its floor, then the pruned history. */
  *canonicalBackwards(): IterableIterator<HistoryEntry> {
    for (let n: BlockNode | null = this.tip; n; n = n.parent) {
      yield { height: n.header.height, createTime: n.header.createTime, txsCum: n.stats.txs, gasUsed: n.meta.gasUsed };
    }
    yield* this.p.history.backwards();
  }

  private isCanonicalHash = (blockHash: Bytes): boolean => {
    const n = this.p.tree.get(blockHash);
    return n !== undefined && this.p.tree.canonicalAt(n.header.height) === n;
  };

  /** The canonical block that includes transaction `hash`, and its index there (RPC). */
  txLocation(hash: Bytes): Promise<IndexedAt | null> { return this.p.store.txLocation(hash, this.isCanonicalHash); }
  /** The canonical block of this shard that applied the cross-shard deposit of transaction `hash`. */
  depositLocation(hash: Bytes): Promise<IndexedAt | null> { return this.p.store.depositLocation(hash, this.isCanonicalHash); }
  /** The recovered sender of `tx` (cached by hash). */
  txSender(tx: Transaction): Bytes { return this.p.senders.of(tx); }

  /** This shard's part of the conservation equation at its block confirmed by root block `root`. */
  async conservationPart(root: Bytes = this.p.roots.tip.hash): Promise<ShardPart> {
    const r = this.p.roots.get(root);
    if (!r) throw notYet('ROOT_UNKNOWN', 'unknown root block');
    const n = this.p.tree.get(r.confirmed.get(this.p.shardId)!)!;
    let balances = 0n;
    for (const [, a] of (await this.p.states.of(n)).entries()) balances += a.balance;
    let genesis = 0n;
    for (const [, a] of this.p.genesisState.entries()) genesis += a.balance;
    return { balances, genesis, stats: n.stats };
  }

  // ---- commit flags (DESIGN §7 step 3; the protocol is in shardService.ts) ---------------
  emittedLists(hash: Bytes): Promise<Map<number, Deposit[]>> { return this.p.store.outLists(hash); }

  /** Stored blocks not yet committed (re-sent after a restart), lowest first. */
  uncommitted(): BlockNode[] {
    return [...this.p.tree.all()].filter((n) => !n.committed).sort((a, b) => a.header.height - b.header.height);
  }

  async markCommitted(hash: Bytes): Promise<void> {
    const n = this.p.tree.get(hash);
    if (!n || n.committed) return;
    await this.p.store.batch([ShardStore.putCommitted(hash)]);
    n.committed = true;
  }

  // ---- changes (serialised by the caller) ------------------------------------------------
  /** Stores a deposit list received from another shard's block (idempotent). */
  addXshardList(sourceHash: Bytes, deposits: readonly Deposit[]): Promise<void> { return this.p.lists.add(sourceHash, deposits); }
  /** Validates a transaction against the tip state and adds it to the pool. */
  /** Told of every transfer the pool admits (relay, shard/shardNetwork.ts). */
  onAdmitted: ((tx: Transaction) => void) | null = null;

  /** `local`: this node's own load generators (exempt from the pool's per-account and queue limits). */
  async addTx(tx: Transaction, local = false): Promise<Bytes> {
    const hash = await admitTx(this.p, tx, local);
    this.onAdmitted?.(tx);
    return hash;
  }

  /**
   * `addTx` for a batch over one tip state, without an await per transfer (the stress generator's
   * batches, relayed transfers): each transfer's hash, or the error that refused it.
   */
  async addTxs(txs: readonly Transaction[], local = false): Promise<(Bytes | ChainError)[]> {
    const tip = await this.p.states.of(this.p.tree.tip);
    const nowSec = Math.floor(Date.now() / 1000);
    const out: (Bytes | ChainError)[] = [];
    for (const tx of txs) {
      try {
        out.push(admitTxSync(this.p, tx, tip, local, nowSec));
        this.onAdmitted?.(tx);
      } catch (e) {
        out.push(ChainError.from(e));
      }
    }
    return out;
  }
  /** Builds a candidate on the tip (or on `on.parent` referencing `on.root`). */
  createBlockToMine(nowSec: number, coinbase?: Address, on: { parent?: Bytes; root?: Bytes } = {}): Promise<MinorBlock> {
    return produceBlock(this.p, nowSec, coinbase, on);
  }
  /** Validates and stores a block, then runs fork choice. */
  addBlock(block: MinorBlock, opts: AddBlockOptions): Promise<AddBlockResult> { return importBlock(this.p, block, opts); }
  /** Stores a root block (the coordinator validated it) and moves tips. */
  addRootBlock(rb: RootBlock): Promise<RootImport> { return importRootBlock(this.p, rb); }
}
