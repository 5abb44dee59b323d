/**
 * ShardChain: one shard's chain, state, pool and copy of the root chain (DESIGN §5–§7).
 * Runs in one thread (the shard's worker, or in-process for tests). It validates and adds
 * blocks, builds candidates, applies root blocks (root-chain-first fork choice) and stores
 * cross-shard lists. State changes are serialised by the caller (one task at a time).
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { keyToFullShardId, defaultKeyOf } from '../core/branch.js';
import { allShardIds, configToJson, consensusOf, shardSizeOf, type Config } from '../core/config.js';
import { decodeDepositList, encodeDepositList, type Deposit } from '../core/deposit.js';
import { ChainError, internal, invalid, isKeepInPool, notYet } from '../core/errors.js';
import type { Address } from '../core/address.js';
import { decodeMinorBlock, encodeMinorBlock, metaHash, minorHeaderHash, minorSealHash, txMerkleRoot, type MinorBlock, type MinorHeader } from '../core/minorBlock.js';
import { decodeRootBlock, encodeRootBlock, rootHeaderHash, type RootBlock } from '../core/rootBlock.js';
import { txHash, type Transaction } from '../core/transaction.js';
import { recoverSender } from '../crypto/keys.js';
import { AccountTrie, type Account } from '../consensus/accountTrie.js';
import { GENESIS_ROOT_HEIGHT, type AppliedDeposit, type DepositContext } from '../consensus/applyDeposits.js';
import { nextDifficulty } from '../consensus/difficulty.js';
import { minorGenesis, rootGenesis } from '../consensus/genesis.js';
import { buildBlock, executeBlock, type RunContext, type RunResult, type SenderTx } from '../consensus/runBlock.js';
import { validateMinorHeader } from '../consensus/validateMinorHeader.js';
import { validateBody, validatePostState, validateRootReference } from '../consensus/validateMinorBlock.js';
import { RootIndex, type RootEntry } from '../consensus/rootIndex.js';
import { BlockHistory, type HistoryEntry } from './blockHistory.js';
import type { BatchOp, KV } from '../store/kv.js';
import { key, metaKey, P_BLOCK, P_COMMIT, P_DEPOSIT_INDEX, P_DIFF, P_HEADER, P_OUT_LISTS, P_ROOT, P_STATS, P_TX_INDEX, P_XSHARD, prefixRange } from '../store/keys.js';
import { BlockTree, type BlockNode } from './blockTree.js';
import { decodeDiff, decodeHeaderMeta, decodeOutLists, decodeStats, encodeDiff, encodeHeaderMeta, encodeOutLists, encodeStats } from './records.js';
import { depositWorth, ZERO_STATS, type BlockStats, type ShardPart } from '../consensus/conservation.js';
import { TxPool, type PoolTx } from './txPool.js';
import { locate, txIndexOps, type IndexedAt } from './txIndex.js';

/** Post-states kept in memory for recent blocks; older ones are rebuilt from stored diffs. */
const STATE_CACHE_SIZE = 64;
/**
 * The same for a pruning chain, whose pinned anchor bounds any rebuild to the retained window:
 * each post-state of a busy block is a near-full copy of the trie's paths (~1 MB at 1,000 accounts).
 */
const STATE_CACHE_SIZE_PRUNING = 8;
/** Candidates kept so a block this node built is not re-executed after sealing. */
const BUILT_CACHE_SIZE = 4;
/** Received deposit lists kept in memory (the rest are read back from the database). */
const LIST_CACHE_SIZE = 64;
/** Recovered senders kept by tx hash, so a signature is recovered once per transaction. */
const SENDER_CACHE_SIZE = 50_000;
/** With pruning on, received lists are kept this many root blocks behind the confirmed cursor. */
const PRUNE_ROOT_MARGIN = 2;

export interface AddBlockResult {
  readonly status: 'added' | 'known';
  readonly hash: Bytes;
  readonly header: MinorHeader;
  /** Deposit lists emitted per destination (empty map when the block is known or sends none). */
  readonly lists: Map<number, Deposit[]>;
  readonly applied: readonly AppliedDeposit[];
  readonly tipChanged: boolean;
}

export interface AddBlockOptions {
  readonly nowSec: number;
  readonly skipSeal?: boolean;
}

/** Cumulative statistics after `block` (see src/consensus/conservation.ts). */
function nextStats(prev: BlockStats, block: MinorBlock, r: RunResult): BlockStats {
  let emitted = 0n;
  for (const list of r.lists.values()) for (const d of list) emitted += depositWorth(d, false);
  let applied = 0n;
  for (const a of r.applied) applied += depositWorth(a.deposit, a.fromRoot);
  return {
    coinbase: prev.coinbase + block.header.coinbaseAmount, fees: prev.fees + r.fee, emitted: prev.emitted + emitted,
    applied: prev.applied + applied, txs: prev.txs + block.txs.length,
  };
}

function lruSet<K, V>(m: Map<K, V>, k: K, v: V, cap: number): void {
  m.delete(k);
  m.set(k, v);
  if (m.size > cap) m.delete(m.keys().next().value as K);
}

export class ShardChain {
  readonly shardId: number;
  readonly pool: TxPool;
  private readonly cfg: Config;
  private readonly kv: KV;
  private readonly tree: BlockTree;
  private readonly roots: RootIndex;
  private readonly states = new Map<string, AccountTrie>();
  private readonly genesisState: AccountTrie;
  private readonly built = new Map<string, RunResult>();
  private readonly lists = new Map<string, readonly Deposit[]>();
  private readonly senders = new Map<string, Bytes>();
  private readonly keyToShard: (key: number) => number;
  private readonly others: number[];

  /** Bodies and lists kept for this many blocks behind the tip (undefined: keep everything). */
  private readonly retainBlocks: number | undefined;
  private readonly stateCacheSize: number;
  /** Received lists by the root height that confirmed their source block (for pruning). */
  private readonly listsByRoot = new Map<number, Bytes[]>();
  private prunedRootHeight = 0;
  /** Highest canonical height whose body and state diff are pruned. */
  private prunedHeight = 0;
  /** State of the block at `prunedHeight`: the base every later state is rebuilt from. */
  private anchor: { readonly node: BlockNode; readonly trie: AccountTrie } | null = null;
  /** The canonical blocks that left the tree below the anchor (pruning chains only). */
  readonly history = new BlockHistory();

  private constructor(cfg: Config, shardId: number, kv: KV, retainBlocks?: number) {
    this.retainBlocks = retainBlocks;
    this.stateCacheSize = retainBlocks === undefined ? STATE_CACHE_SIZE : STATE_CACHE_SIZE_PRUNING;
    this.cfg = cfg;
    this.shardId = shardId;
    this.kv = kv;
    const g = minorGenesis(cfg, shardId);
    this.genesisState = g.state;
    this.tree = new BlockTree(g.block.header, g.block.meta);
    const genesisMinor = new Map(allShardIds(cfg).map((id) => [id, minorHeaderHash(minorGenesis(cfg, id).block.header)] as const));
    this.roots = new RootIndex(rootGenesis(cfg), genesisMinor);
    this.pool = new TxPool({ maxSize: cfg.txPoolSize });
    const sizes = shardSizeOf(cfg);
    this.keyToShard = (k) => keyToFullShardId(k, sizes);
    this.others = allShardIds(cfg).filter((id) => id !== shardId);
  }

  /** Opens (or initialises) the shard's database and rebuilds the in-memory chain. */
  /**
   * `retainBlocks`: keep block bodies, emitted lists and received lists only this many blocks
   * (and root blocks) behind the confirmed tip, so long in-memory runs stay flat in memory.
   */
  static async open(cfg: Config, shardId: number, kv: KV, opts: { retainBlocks?: number } = {}): Promise<ShardChain> {
    const c = new ShardChain(cfg, shardId, kv, opts.retainBlocks);
    await c.load();
    return c;
  }

  private async load(): Promise<void> {
    const stored = await this.kv.get(metaKey('config'));
    const cfgJson = new TextEncoder().encode(configToJson(this.cfg));
    if (!stored) {
      const g = this.tree.genesis;
      const genesisDiff = [...this.genesisState.entries()].map(([recipient, account]) => ({ recipient, account }));
      await this.kv.batch([
        { type: 'put', key: key(P_HEADER, g.hash), value: encodeHeaderMeta(g.header, g.meta) },
        { type: 'put', key: key(P_DIFF, g.hash), value: encodeDiff(genesisDiff) },
        { type: 'put', key: metaKey('tip'), value: g.hash },
        { type: 'put', key: metaKey('rootTip'), value: this.roots.genesis.hash },
        { type: 'put', key: metaKey('config'), value: cfgJson },
      ]);
      this.states.set(g.key, this.genesisState);
      return;
    }
    if (Buffer.compare(Buffer.from(stored), Buffer.from(cfgJson)) !== 0) {
      throw internal('CONFIG_MISMATCH', `shard 0x${this.shardId.toString(16)} database was created with another configuration`);
    }
    const roots: RootBlock[] = [];
    for await (const [, v] of this.kv.iterate(prefixRange(P_ROOT))) roots.push(decodeRootBlock(v));
    roots.sort((a, b) => a.header.height - b.header.height);
    for (const rb of roots) this.roots.add(rb);
    const headers: { header: MinorHeader; meta: BlockNode['meta'] }[] = [];
    for await (const [, v] of this.kv.iterate(prefixRange(P_HEADER))) headers.push(decodeHeaderMeta(v));
    headers.sort((a, b) => a.header.height - b.header.height);
    const stats = new Map<string, BlockStats>();
    for await (const [k, v] of this.kv.iterate(prefixRange(P_STATS))) stats.set(keyOf(k.subarray(1)), decodeStats(v));
    for (const h of headers) {
      if (h.header.height > 0) this.tree.add(h.header, h.meta, stats.get(keyOf(minorHeaderHash(h.header))) ?? ZERO_STATS);
    }
    for await (const [k] of this.kv.iterate(prefixRange(P_COMMIT))) {
      const n = this.tree.get(k.subarray(1));
      if (n) n.committed = true;
    }
    this.states.set(this.tree.genesis.key, this.genesisState);
    const rootTip = this.roots.get((await this.kv.get(metaKey('rootTip')))!);
    if (rootTip) this.roots.setTip(rootTip);
    const tip = this.tree.get((await this.kv.get(metaKey('tip')))!);
    if (!tip) throw internal('DB_CORRUPT', 'stored tip block is missing');
    await this.stateOf(tip);
    this.tree.setTip(tip);
  }

  async close(): Promise<void> {
    await this.kv.close();
  }

  // ---- queries -------------------------------------------------------------------------

  get tip(): BlockNode {
    return this.tree.tip;
  }

  get rootTip(): RootEntry {
    return this.roots.tip;
  }

  get config(): Config {
    return this.cfg;
  }

  block(hash: Bytes): BlockNode | undefined {
    return this.tree.get(hash);
  }

  canonicalAt(height: number): BlockNode | undefined {
    return this.tree.canonicalAt(height);
  }

  rootBlock(hash: Bytes): RootEntry | undefined {
    return this.roots.get(hash);
  }

  /** The last block of this shard confirmed by the root tip. */
  /** The canonical chain newest first: the tree from the tip down to its floor, then the pruned history. */
  *canonicalBackwards(): IterableIterator<HistoryEntry> {
    for (let n: BlockNode | null = this.tip; n; n = n.parent) {
      yield { height: n.header.height, createTime: n.header.createTime, txsCum: n.stats.txs, gasUsed: n.meta.gasUsed };
    }
    yield* this.history.backwards();
  }

  get confirmedTip(): BlockNode {
    return this.tree.get(this.roots.tip.confirmed.get(this.shardId)!)!;
  }

  async getBlock(hash: Bytes): Promise<MinorBlock | undefined> {
    const v = await this.kv.get(key(P_BLOCK, hash));
    return v ? decodeMinorBlock(v) : undefined;
  }

  async account(recipient: Bytes, at: BlockNode = this.tip): Promise<Account> {
    return (await this.stateOf(at)).get(recipient);
  }

  async stateAt(at: BlockNode = this.tip): Promise<AccountTrie> {
    return this.stateOf(at);
  }

  /** Stored blocks at `height`, canonical or not (QuarkChain's stale-block count). */
  blockCountAt(height: number): number {
    return this.tree.countAt(height);
  }

  private isCanonicalHash = (blockHash: Bytes): boolean => {
    const n = this.tree.get(blockHash);
    return n !== undefined && this.tree.canonicalAt(n.header.height) === n;
  };

  /** The canonical block that includes transaction `hash`, and its index there (RPC). */
  txLocation(hash: Bytes): Promise<IndexedAt | null> {
    return locate(this.kv, P_TX_INDEX, hash, this.isCanonicalHash);
  }

  /** The canonical block of this shard that applied the cross-shard deposit of transaction `hash`. */
  depositLocation(hash: Bytes): Promise<IndexedAt | null> {
    return locate(this.kv, P_DEPOSIT_INDEX, hash, this.isCanonicalHash);
  }

  /** The recovered sender of `tx` (cached by hash). */
  txSender(tx: Transaction): Bytes {
    return this.senderOf(tx, txHash(tx));
  }

  /** This shard's part of the conservation equation at its block confirmed by root block `root`. */
  async conservationPart(root: Bytes = this.roots.tip.hash): Promise<ShardPart> {
    const r = this.roots.get(root);
    if (!r) throw notYet('ROOT_UNKNOWN', 'unknown root block');
    const n = this.tree.get(r.confirmed.get(this.shardId)!)!;
    let balances = 0n;
    for (const [, a] of (await this.stateOf(n)).entries()) balances += a.balance;
    let genesis = 0n;
    for (const [, a] of this.genesisState.entries()) genesis += a.balance;
    return { balances, genesis, stats: n.stats };
  }

  async emittedLists(hash: Bytes): Promise<Map<number, Deposit[]>> {
    const v = await this.kv.get(key(P_OUT_LISTS, hash));
    return v ? decodeOutLists(v) : new Map();
  }

  /** Stored blocks not yet committed (re-sent after a restart), lowest first. */
  uncommitted(): BlockNode[] {
    return [...this.tree.all()].filter((n) => !n.committed).sort((a, b) => a.header.height - b.header.height);
  }

  async markCommitted(hash: Bytes): Promise<void> {
    const n = this.tree.get(hash);
    if (!n || n.committed) return;
    await this.kv.batch([{ type: 'put', key: key(P_COMMIT, hash), value: Uint8Array.of(1) }]);
    n.committed = true;
  }

  // ---- state ---------------------------------------------------------------------------

  private async stateOf(n: BlockNode): Promise<AccountTrie> {
    const hit = this.states.get(n.key);
    if (hit) return hit;
    const path: BlockNode[] = [];
    let x: BlockNode | null = n;
    let base: AccountTrie | undefined;
    while (x && !(base = this.states.get(x.key) ?? (x === this.anchor?.node ? this.anchor.trie : undefined))) { path.push(x); x = x.parent; }
    if (!base) base = AccountTrie.empty();
    for (let i = path.length - 1; i >= 0; i--) {
      const v = await this.kv.get(key(P_DIFF, path[i]!.hash));
      if (!v && this.retainBlocks !== undefined) throw invalid('STATE_PRUNED', `state at block ${path[i]!.header.height} is pruned (kept ${this.retainBlocks} blocks behind the confirmed tip)`);
      if (!v) throw internal('DB_CORRUPT', `state diff of block ${path[i]!.header.height} is missing`);
      base = base.update(decodeDiff(v).map((c) => [c.recipient, c.account] as const));
    }
    lruSet(this.states, n.key, base, this.stateCacheSize);
    return base;
  }

  // ---- cross-shard lists ---------------------------------------------------------------

  /** Stores a deposit list received from another shard's block (idempotent). */
  async addXshardList(sourceHash: Bytes, deposits: readonly Deposit[]): Promise<void> {
    const k = keyOf(sourceHash);
    if (this.lists.has(k)) return;
    await this.kv.batch([{ type: 'put', key: key(P_XSHARD, sourceHash), value: encodeDepositList(deposits) }]);
    lruSet(this.lists, k, deposits, LIST_CACHE_SIZE);
  }

  private async loadList(hash: Bytes): Promise<readonly Deposit[] | undefined> {
    const k = keyOf(hash);
    const hit = this.lists.get(k);
    if (hit) return hit;
    const v = await this.kv.get(key(P_XSHARD, hash));
    if (!v) return undefined;
    const list = decodeDepositList(v);
    lruSet(this.lists, k, list, LIST_CACHE_SIZE);
    return list;
  }

  private eligibleSource(h: MinorHeader): boolean {
    const r = this.roots.get(h.hashPrevRootBlock);
    return h.branch !== this.shardId && r !== undefined && r.height > GENESIS_ROOT_HEIGHT;
  }

  /** Loads the lists that a walk from `fromHeight` to root block `rmax` may need. */
  private async preloadLists(fromHeight: number, rmax: RootEntry): Promise<Map<string, readonly Deposit[]>> {
    const out = new Map<string, readonly Deposit[]>();
    for (let h = fromHeight; h <= rmax.height; h++) {
      const r = this.roots.ancestorAt(rmax, h)!;
      for (let i = 0; i < r.info.minorHeaders.length; i++) {
        if (!this.eligibleSource(r.info.minorHeaders[i]!)) continue;
        const list = await this.loadList(r.info.minorHashes[i]!);
        if (list) out.set(keyOf(r.info.minorHashes[i]!), list);
      }
    }
    return out;
  }

  private async runContext(parent: BlockNode, rmax: RootEntry, coinbase: Address): Promise<RunContext> {
    const lists = await this.preloadLists(parent.meta.cursor.rootHeight, rmax);
    const deposits: DepositContext = {
      shardId: this.shardId,
      xshardGasLimit: this.cfg.xshardGasLimit,
      keyToShard: this.keyToShard,
      rootAt: (h) => this.roots.ancestorAt(rmax, h)!.info,
      maxRootHeight: rmax.height,
      rootHeightOf: (hash) => this.roots.get(hash)?.height ?? -1,
      depositList: (hash) => lists.get(keyOf(hash)),
    };
    return {
      tx: {
        networkId: this.cfg.networkId, shardId: this.shardId, xshardGasLimit: this.cfg.xshardGasLimit,
        minGasPrice: this.cfg.minGasPrice, keyToShard: this.keyToShard, xshardEnabled: rmax.height > GENESIS_ROOT_HEIGHT,
      },
      deposits,
      gasLimit: this.cfg.gasLimit,
      xshardGasLimit: this.cfg.xshardGasLimit,
      coinbase,
      blockReward: this.cfg.shardCoinbaseAmount,
      tax: this.cfg.taxRate,
      otherShards: this.others,
    };
  }

  // ---- transactions --------------------------------------------------------------------

  private senderOf(tx: Transaction, hash: Bytes): Bytes {
    const k = keyOf(hash);
    let s = this.senders.get(k);
    if (!s) {
      s = recoverSender(tx);
      lruSet(this.senders, k, s, SENDER_CACHE_SIZE);
    }
    return s;
  }

  /** Validates a transaction against the tip state and adds it to the pool. */
  async addTx(tx: Transaction): Promise<Bytes> {
    const hash = txHash(tx);
    if (this.pool.has(hash)) throw invalid('TX_DUPLICATE', 'transaction already in the pool');
    if (tx.networkId !== this.cfg.networkId) throw invalid('TX_WRONG_NETWORK', `network id ${tx.networkId} ≠ ${this.cfg.networkId}`);
    if (this.keyToShard(tx.fromFullShardKey) !== this.shardId) throw invalid('TX_WRONG_SHARD', 'the sender key is not in this shard');
    this.keyToShard(tx.to.fullShardKey);
    if (tx.gasPrice < this.cfg.minGasPrice) throw invalid('TX_GAS_PRICE_TOO_LOW', `gas price below ${this.cfg.minGasPrice}`);
    const sender = this.senderOf(tx, hash);
    const acct = await this.account(sender);
    if (acct.balance < tx.value + BigInt(tx.gasLimit) * tx.gasPrice) throw invalid('TX_INSUFFICIENT_BALANCE', 'balance below value + gas');
    this.pool.add({ tx, hash, sender }, acct.nonce);
    return hash;
  }

  // ---- blocks --------------------------------------------------------------------------

  /**
   * Builds a candidate (unsealed: nonce 0, zero mixhash) on the tip referencing the root tip,
   * or on `on.parent` referencing `on.root` (forks, tests, sync).
   */
  async createBlockToMine(nowSec: number, coinbase?: Address, on: { parent?: Bytes; root?: Bytes } = {}): Promise<MinorBlock> {
    const parent = on.parent ? this.tree.get(on.parent) : this.tip;
    if (!parent) throw notYet('BLOCK_PARENT_UNKNOWN', 'unknown parent for a candidate');
    const cb = coinbase ?? { recipient: new Uint8Array(20), fullShardKey: defaultKeyOf(this.shardId) };
    const createTime = Math.max(nowSec, parent.header.createTime + 1);
    const state = await this.stateOf(parent);
    let rmax = on.root ? this.roots.get(on.root) : this.roots.tip;
    if (!rmax) throw notYet('BLOCK_ROOT_UNKNOWN', 'unknown root block for a candidate');
    let ctx = await this.runContext(parent, rmax, cb);
    const candidates = this.pool.select({ getNonce: (s) => state.get(s).nonce, gasBudget: this.cfg.gasLimit, gasCost: (tx) => tx.gasLimit });
    const dropped: Bytes[] = [];
    const run = (c: RunContext): RunResult => buildBlock(state, parent.meta.cursor, candidates, c, (st, e) => {
      // A keep-in-pool failure says "not in this block" rather than "never": the transaction stays.
      if (e.cls === 'invalid' && !isKeepInPool(e.code)) dropped.push(st.hash);
    });
    let result: RunResult;
    try {
      result = run(ctx);
    } catch (e) {
      if (ChainError.from(e).code !== 'XSHARD_LIST_MISSING') throw e;
      // A list of the newest root block has not arrived yet: build on the parent's root reference.
      rmax = this.roots.get(parent.header.hashPrevRootBlock)!;
      ctx = await this.runContext(parent, rmax, cb);
      dropped.length = 0;
      result = run(ctx);
    }
    if (dropped.length) this.pool.removeIncluded(dropped, (s) => state.get(s).nonce);
    const consensus = consensusOf(this.cfg, this.shardId);
    const meta = {
      txMerkleRoot: txMerkleRoot(result.txs.map((t) => t.tx)), stateRoot: result.trie.root(), gasUsed: result.gasUsed,
      xshardGasLimit: this.cfg.xshardGasLimit, xshardGasUsed: result.xshardGasUsed, cursor: result.cursor,
    };
    const header: MinorHeader = {
      version: 0, branch: this.shardId, height: parent.header.height + 1, coinbase: cb, coinbaseAmount: result.coinbaseAmount,
      hashPrevMinorBlock: parent.hash, hashPrevRootBlock: rmax.hash, gasLimit: this.cfg.gasLimit, hashMeta: metaHash(meta),
      createTime, difficulty: nextDifficulty(parent.header.difficulty, parent.header.createTime, createTime, consensus),
      nonce: 0n, mixhash: new Uint8Array(32),
    };
    lruSet(this.built, keyOf(minorSealHash(header)), result, BUILT_CACHE_SIZE);
    return { header, meta, txs: result.txs.map((t) => t.tx) };
  }

  private rootRefOk(n: BlockNode): boolean {
    return this.roots.isAncestor(n.header.hashPrevRootBlock, this.roots.tip.hash);
  }

  private better(a: BlockNode, b: BlockNode): boolean {
    if (a.header.height !== b.header.height) return a.header.height > b.header.height;
    return this.roots.get(a.header.hashPrevRootBlock)!.height > this.roots.get(b.header.hashPrevRootBlock)!.height;
  }

  /** Validates and stores a block, then runs fork choice. */
  async addBlock(block: MinorBlock, opts: AddBlockOptions): Promise<AddBlockResult> {
    const hash = minorHeaderHash(block.header);
    const known = this.tree.get(hash);
    if (known) return { status: 'known', hash, header: known.header, lists: new Map(), applied: [], tipChanged: false };
    const parent = this.tree.get(block.header.hashPrevMinorBlock);
    const consensus = consensusOf(this.cfg, this.shardId);
    validateMinorHeader(block.header, parent?.header, { shardId: this.shardId, gasLimit: this.cfg.gasLimit, consensus, nowSec: opts.nowSec, skipSeal: opts.skipSeal });
    const p = parent!;
    validateRootReference(block.header, p.header, p.hash, {
      rootHeight: (h) => this.roots.get(h)?.height,
      isRootAncestor: (a, b) => this.roots.isAncestor(a, b),
      confirmedAt: (r) => this.roots.get(r)!.confirmed.get(this.shardId)!,
      isMinorAncestor: (a, b) => { const na = this.tree.get(a); const nb = this.tree.get(b); return !!na && !!nb && this.tree.isAncestor(na, nb); },
    });
    validateBody(block, { xshardGasLimit: this.cfg.xshardGasLimit, coinbaseShard: this.keyToShard, shardId: this.shardId });
    const sealKey = keyOf(minorSealHash(block.header));
    let result = this.built.get(sealKey);
    if (!result) {
      const state = await this.stateOf(p);
      const ctx = await this.runContext(p, this.roots.get(block.header.hashPrevRootBlock)!, block.header.coinbase);
      const txs: SenderTx[] = block.txs.map((tx) => { const h = txHash(tx); return { tx, hash: h, sender: this.senderOf(tx, h) }; });
      result = executeBlock(state, p.meta.cursor, txs, ctx);
    }
    validatePostState(block, result);
    this.built.delete(sealKey);
    const ops: BatchOp[] = [
      { type: 'put', key: key(P_BLOCK, hash), value: encodeMinorBlock(block) },
      { type: 'put', key: key(P_HEADER, hash), value: encodeHeaderMeta(block.header, block.meta) },
      { type: 'put', key: key(P_DIFF, hash), value: encodeDiff(result.diff) },
    ];
    if (result.lists.size) ops.push({ type: 'put', key: key(P_OUT_LISTS, hash), value: encodeOutLists(result.lists) });
    const stats = nextStats(p.stats, block, result);
    ops.push({ type: 'put', key: key(P_STATS, hash), value: encodeStats(stats) });
    // RPC lookups index every transaction; a pruning (in-memory stress) chain keeps none, to stay flat in memory.
    if (this.retainBlocks === undefined) for (const op of txIndexOps(hash, result.txs.map((t) => t.hash), result.applied)) ops.push(op);
    const node = this.tree.add(block.header, block.meta, stats);
    lruSet(this.states, node.key, result.trie, this.stateCacheSize);
    const tipChanged = this.prefers(node);
    if (tipChanged) ops.push({ type: 'put', key: metaKey('tip'), value: hash });
    // Pruning goes in the same batch: it only touches blocks below the root-confirmed tip.
    if (this.retainBlocks !== undefined) ops.push(...(await this.pruneOps(this.retainBlocks)));
    await this.kv.batch(ops);
    if (tipChanged) await this.switchTip(node, block);
    return { status: 'added', hash, header: block.header, lists: result.lists, applied: result.applied, tipChanged };
  }

  /** Root-chain-first fork choice for a newly stored block (chain_rules §2.4). */
  private prefers(n: BlockNode): boolean {
    if (!this.rootRefOk(n)) return false;
    if (n.parent === this.tip) return true;
    const confirmed = this.confirmedTip;
    return n !== confirmed && this.tree.isAncestor(confirmed, n) && this.better(n, this.tip);
  }

  /** `justAdded` is `n`'s block when the caller has it in hand (saves reading it back). */
  private async switchTip(n: BlockNode, justAdded?: MinorBlock): Promise<void> {
    const { removed, added } = this.tree.setTip(n);
    const state = await this.stateOf(n);
    const getNonce = (s: Bytes): number => state.get(s).nonce;
    const inNew = new Set<string>();
    const addedHashes: Bytes[] = [];
    for (const b of added) {
      const blk = b === n && justAdded ? justAdded : await this.getBlock(b.hash);
      for (const tx of blk?.txs ?? []) { const h = txHash(tx); inNew.add(keyOf(h)); addedHashes.push(h); }
    }
    if (removed.length) {
      const back: PoolTx[] = [];
      for (const b of removed) {
        const blk = await this.getBlock(b.hash);
        for (const tx of blk?.txs ?? []) {
          const h = txHash(tx);
          if (!inNew.has(keyOf(h))) back.push({ tx, hash: h, sender: this.senderOf(tx, h) });
        }
      }
      this.pool.requeue(back, getNonce);
    }
    this.pool.removeIncluded(addedHashes, getNonce);
  }

  /** Stores a root block (the coordinator validated it) and moves tips (chain_rules §2.4). */
  async addRootBlock(rb: RootBlock): Promise<{ known: boolean; newRootTip: boolean; tipChanged: boolean }> {
    const hash = rootHeaderHash(rb.header);
    if (this.roots.has(hash)) return { known: true, newRootTip: false, tipChanged: false };
    if (!this.roots.has(rb.header.hashPrevBlock)) throw notYet('ROOT_PARENT_UNKNOWN', `parent of root block ${rb.header.height} is unknown`);
    for (const h of rb.minorHeaders) {
      const hh = minorHeaderHash(h);
      if (h.branch === this.shardId) {
        if (!this.tree.get(hh)) throw notYet('ROOT_MISSING_OWN_BLOCK', `root block ${rb.header.height} confirms a block of this shard we do not have`);
      } else if (this.eligibleSource(h) && !(await this.loadList(hh))) {
        throw notYet('XSHARD_LIST_MISSING', `root block ${rb.header.height} confirms a block whose deposit list has not arrived`);
      }
    }
    const { newTip } = this.roots.add(rb);
    if (this.retainBlocks !== undefined) {
      const sources = rb.minorHeaders.filter((h) => this.eligibleSource(h)).map(minorHeaderHash);
      if (sources.length) this.listsByRoot.set(rb.header.height, [...(this.listsByRoot.get(rb.header.height) ?? []), ...sources]);
    }
    const ops: BatchOp[] = [{ type: 'put', key: key(P_ROOT, hash), value: encodeRootBlock(rb) }];
    if (newTip) ops.push({ type: 'put', key: metaKey('rootTip'), value: hash });
    await this.kv.batch(ops);
    if (!newTip) return { known: false, newRootTip: false, tipChanged: false };
    return { known: false, newRootTip: true, tipChanged: await this.onRootTipChange() };
  }

  /**
   * Drops what a long in-memory run no longer needs: every committed canonical block more than
   * `retain` below the confirmed tip loses its body, emitted lists and state diff (the state of
   * the highest one is pinned as the anchor that later states are rebuilt from, and the blocks
   * below it leave the tree), lists whose deposits are consumed go too, and so do the minor
   * headers of root blocks older than any cursor still in use.
   */
  private async pruneOps(retain: number): Promise<BatchOp[]> {
    const confirmed = this.confirmedTip;
    const ops: BatchOp[] = [];
    let anchor: BlockNode | undefined;
    for (let h = this.prunedHeight + 1; h <= confirmed.header.height - retain; h++) {
      const old = this.tree.canonicalAt(h);
      if (!old || !old.committed) break;
      this.prunedHeight = h;
      anchor = old;
    }
    // The anchor's state is built before the batch deletes the diffs it is built from.
    if (anchor) {
      this.anchor = { node: anchor, trie: await this.stateOf(anchor) };
      const pending: BlockNode[] = [];
      for (let n = anchor.parent; n; n = n.parent) pending.push(n);
      for (let i = pending.length - 1; i >= 0; i--) {
        const n = pending[i]!;
        this.history.push({ height: n.header.height, createTime: n.header.createTime, txsCum: n.stats.txs, gasUsed: n.meta.gasUsed });
      }
      // The anchor keeps its header and statistics; everything below it goes whole.
      for (const prefix of [P_BLOCK, P_OUT_LISTS, P_DIFF]) ops.push({ type: 'del', key: key(prefix, anchor.hash) });
      for (const n of this.tree.pruneBelow(anchor)) {
        for (const prefix of [P_HEADER, P_STATS, P_COMMIT, P_BLOCK, P_OUT_LISTS, P_DIFF]) ops.push({ type: 'del', key: key(prefix, n.hash) });
      }
      // Deposits are collected from root blocks at or after a block's cursor; the anchor's is the lowest still needed.
      for (const e of this.roots.pruneBodies(anchor.meta.cursor.rootHeight - PRUNE_ROOT_MARGIN)) ops.push({ type: 'del', key: key(P_ROOT, e.hash) });
    }
    const upTo = confirmed.meta.cursor.rootHeight - PRUNE_ROOT_MARGIN;
    for (; this.prunedRootHeight < upTo; this.prunedRootHeight++) {
      for (const h of this.listsByRoot.get(this.prunedRootHeight) ?? []) {
        ops.push({ type: 'del', key: key(P_XSHARD, h) });
        this.lists.delete(keyOf(h));
      }
      this.listsByRoot.delete(this.prunedRootHeight);
    }
    return ops;
  }

  /** After a root tip change: jump to the confirmed block, rewind off-chain references, re-evaluate descendants. */
  private async onRootTipChange(): Promise<boolean> {
    const confirmed = this.confirmedTip;
    let t = this.tip;
    if (!this.tree.isAncestor(confirmed, t)) t = confirmed;
    while (!this.rootRefOk(t)) t = t.parent!;
    let best = t;
    for (const d of this.tree.descendants(confirmed)) if (this.rootRefOk(d) && this.better(d, best)) best = d;
    if (best === this.tip) return false;
    await this.kv.batch([{ type: 'put', key: metaKey('tip'), value: best.hash }]);
    await this.switchTip(best);
    return true;
  }
}
