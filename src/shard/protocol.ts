/**
 * The typed request/response protocol between the coordinator and a shard (DESIGN §1). Fields
 * are bytes and numbers only (no class instances), so the same shapes cross a thread boundary
 * unchanged; errors come back as values with a stable code. `Shard` is the async interface that
 * both the in-thread implementation (InProcessShard) and the Piscina one (WorkerShard) provide.
 */
import type { Bytes } from '../core/bytes.js';
import type { ErrorObject } from '../core/errors.js';
import type { XshardLinks } from '../channel/xshardChannel.js';
import type { KernelChoice } from '../pow/types.js';
import type { ShardPart } from '../consensus/conservation.js';

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorObject };

/** What a worker is started with (Piscina `workerData`). */
export interface ShardInit {
  readonly configJson: string;
  readonly shardId: number;
  /** LevelDB directory, or null for memory. */
  readonly dir: string | null;
  readonly links: XshardLinks;
  /** Index of every full shard id in `links` order. */
  readonly shardIds: readonly number[];
  /** Int32 work-generation counter (coordinator bumps it to make the sealing loop rebuild). */
  readonly workGen: SharedArrayBuffer;
  readonly kernel: KernelChoice;
  /** Keep block bodies and lists only this many blocks behind the confirmed tip (long in-memory runs). */
  readonly retainBlocks?: number;
}

export interface TipInfo {
  readonly height: number;
  readonly hash: Bytes;
  readonly createTime: number;
}

export interface ShardStatus {
  readonly shardId: number;
  readonly tip: TipInfo;
  /** The tip's difficulty. */
  readonly difficulty: bigint;
  readonly rootHeight: number;
  readonly confirmedHeight: number;
  readonly poolSize: number;
  /** Deposits received from confirmed or unconfirmed source blocks but not applied at the tip. */
  readonly pendingDeposits: number;
  /** Nonces searched by the sealing loop since start (hash-rate windows are computed by the caller). */
  readonly hashes: number;
  readonly mining: boolean;
  readonly txsConfirmed: number;
  /** Transfers submitted by the stress generator so far. */
  readonly stressSubmitted: number;
  /** Pre-signed transfers waiting in the stress generator's stock (grows while it pre-signs). */
  readonly stressPresigned: number;
  readonly blocksMined: number;
}

/** A block this shard added and committed (its lists durably delivered). */
export interface BlockEvent {
  readonly header: Bytes;
  readonly isTip: boolean;
  readonly mined: boolean;
  readonly txCount: number;
  readonly appliedDeposits: number;
  /** With relay on, a block sealed here: its encoding, for the coordinator to announce. */
  readonly block?: Bytes;
}

/**
 * What `addBlocksForSync` did: the event of every block it added or already had, oldest first,
 * and the refusal that stopped it (the blocks after that one were not tried), as a plain object.
 */
export interface SyncAddResult {
  readonly events: BlockEvent[];
  readonly error: ErrorObject | null;
}

/** Which state an account query reads: a height, the tip (null), or the tip plus the pool's nonces ('pending'). */
export type AccountHeight = number | null | 'pending';

/** An account at a block (RPC `getBalances`, `getTransactionCount`). */
export interface AccountInfo {
  readonly balance: bigint;
  readonly nonce: number;
}

/** A block by hash, by canonical height, or the tip (neither given). */
export interface BlockQuery {
  readonly hash?: Bytes;
  readonly height?: number;
  /** Also return each transaction's recovered sender. */
  readonly withSenders?: boolean;
}

export interface BlockReply {
  /** The full encoded block (genesis included). */
  readonly block: Bytes;
  readonly canonical: boolean;
  readonly senders: Bytes[] | null;
}

/** Where a transaction is: in a canonical block, in the pool (block null), and whether its deposit was applied here. */
export interface TxLookup {
  readonly tx: {
    readonly bytes: Bytes;
    readonly sender: Bytes;
    readonly block: { readonly hash: Bytes; readonly height: number; readonly createTime: number; readonly index: number; readonly xshardGasUsed: number } | null;
  } | null;
  readonly deposit: { readonly blockHash: Bytes; readonly height: number; readonly createTime: number } | null;
}

/** QuarkChain's per-shard stats (`get_shard_stats`): a 60 s window of block time back from the tip. */
export interface ShardStats {
  readonly height: number;
  readonly difficulty: bigint;
  /** 24-byte coinbase address of the tip. */
  readonly coinbase: Bytes;
  readonly timestamp: number;
  readonly txCount60s: number;
  readonly blockCount60s: number;
  readonly staleBlockCount60s: number;
  readonly pendingTxCount: number;
  /** Of those, future transfers (a nonce gap before them: shard/poolLimits.ts). */
  readonly queuedTxCount: number;
  readonly totalTxCount: number;
  /** Seconds between the tip and its parent. */
  readonly lastBlockTime: number;
}

/** QuarkChain's `createTransactions` for one shard: signed dev-account transfers. */
export interface CreateTxRequest {
  readonly count: number;
  readonly xShardPercent: number;
  readonly gasPrice: bigint;
  /** Fixed value, or null for QuarkChain's random 1–100 × 10^15. */
  readonly value: bigint | null;
}

export interface MiningControl {
  readonly on: boolean;
  /** 24-byte coinbase address. */
  readonly coinbase: Bytes;
  /** Signed dev transfers per second generated inside the worker (0: none). */
  readonly txRate?: number;
}



export type { ChainWindow, StressPlan, StressReport, ThreadLoad } from './stressProtocol.js';
export type { NewBlockCheck, ShardHeaderQuery, ShardHeadersReply, TxBatchResult } from './networkProtocol.js';
import type { ChainWindow, StressPlan, StressReport, ThreadLoad } from './stressProtocol.js';
import type { NewBlockCheck, ShardHeaderQuery, ShardHeadersReply, TxBatchResult } from './networkProtocol.js';

/** What `events` returns: the events after `after`, and `gap` when some of them were compacted (see eventQueue.ts). */
export interface EventsReply {
  readonly next: number;
  readonly events: BlockEvent[];
  /**
   * The poller fell so far behind that events it had not read were compacted: `events` then
   * starts with one event per committed canonical header since the confirmed tip (what
   * `committedHeaders` gives; `mined` false, `appliedDeposits` 0), so no header is lost.
   */
  readonly gap?: true;
  /** With relay on: transfers admitted here since the last poll other than by `addTxs` (encoded), for the coordinator to relay. */
  readonly txs?: Bytes[];
}

// ---- The shard API: one map, method → request (positional arguments) and response --------
// WorkerShard, InProcessShard, ShardHost and the worker's exports are derived from it
// (shardApi.ts), so a misspelt method or a wrong field is a compile error.

/** Blocks, transactions and root blocks: the chain-mutating calls (serialised in the worker). */
export interface ShardChainApi {
  addBlock(block: Bytes): Promise<BlockEvent>;
  /**
   * Sync (DESIGN §10): blocks a peer served (encoded, oldest first), each through the normal
   * `addBlock` path (validate, store, commit); stops at the first refusal and reports it.
   */
  addBlocksForSync(blocks: Bytes[]): Promise<SyncAddResult>;
  addRootBlock(rootBlock: Bytes): Promise<{ readonly tipChanged: boolean }>;
  addTx(tx: Bytes): Promise<Bytes>;
}

/** Read-only queries (RPC, peers, recovery, conservation). */
export interface ShardQueryApi {
  /** Serving peers: the stored blocks of `hashes`, encoded, in request order; unknown or pruned ones left out. */
  blocksByHash(hashes: Bytes[]): Promise<Bytes[]>;
  /** An account at a canonical height (null: tip). */
  /** At a height, the tip (null), or the tip with the nonce after the sender's pooled transactions ('pending'). */
  account(recipient: Bytes, height: AccountHeight): Promise<AccountInfo | null>;
  minorBlock(q: BlockQuery): Promise<BlockReply | null>;
  lookupTx(hash: Bytes): Promise<TxLookup>;
  shardStats(): Promise<ShardStats>;
  status(): Promise<ShardStatus>;
  /** This shard's part of the conservation equation at its block confirmed by root block `root`. */
  conservationPart(root: Bytes): Promise<ShardPart>;
  /** Committed headers on the canonical chain after the root-confirmed block (recovery). */
  committedHeaders(): Promise<Bytes[]>;
  /** Canonical blocks created in [t0, t1). */
  chainWindow(t0: number, t1: number): Promise<ChainWindow>;
}

/** Sealing, candidates and the committed-block events the coordinator long-polls. */
export interface ShardMiningApi {
  createBlockToMine(coinbase: Bytes | null): Promise<Bytes>;
  setMining(c: MiningControl): Promise<void>;
  /** Long poll: events after `after` (a sequence number), or [] after `waitMs`. */
  events(after: number, waitMs: number): Promise<EventsReply>;
  /** QuarkChain's createTransactions: starts signing `count` transfers in the background; false when a run is still going. */
  createTransactions(req: CreateTxRequest): Promise<{ readonly started: boolean }>;
}

/** P2P (DESIGN §10): the fast path of announced blocks, serving headers, relayed transfers. */
export interface ShardNetworkApi {
  /** An announced block: known, or its header checked on its stored parent (time, difficulty, seal); a refusal throws its code. */
  checkNewBlock(block: Bytes): Promise<NewBlockCheck>;
  /** A peer's GET_SHARD_HEADERS. */
  shardHeaders(q: ShardHeaderQuery): Promise<ShardHeadersReply>;
  /** Transfers a peer relayed, admitted in one serialised batch. */
  addTxs(txs: Bytes[]): Promise<TxBatchResult>;
  /** Relay on: admitted transfers are reported in `events` (`txs`), and blocks sealed here carry their bytes (`BlockEvent.block`). */
  setRelay(on: boolean): Promise<void>;
  /** Holds local sealing while the shard syncs (a block sealed on a stale tip would only be orphaned). */
  holdSealing(held: boolean): Promise<void>;
}

/** The stress generator (issue 6). */
export interface ShardStressApi {
  stressPrepare(plan: StressPlan): Promise<{ readonly presigned: number }>;
  stressRun(on: boolean): Promise<void>;
  stressInject(count: number): Promise<void>;
  /** `samples`: include the latency samples (up to 100,000 numbers; the drain loop's polls leave them out). */
  stressReport(samples: boolean): Promise<StressReport>;
}

/** The thread itself. */
export interface ShardDiagnosticsApi {
  /**
   * `gc`: run a full garbage collection first when the process has `--expose-gc` (the heap then
   * shows live data only; a no-op otherwise).
   */
  load(gc?: boolean): Promise<ThreadLoad>;
}

export type ShardApi = ShardChainApi & ShardQueryApi & ShardMiningApi & ShardNetworkApi & ShardStressApi & ShardDiagnosticsApi;

/** What a worker serves: the API plus shutting the shard down. */
export interface ShardWorkerApi extends ShardApi {
  close(): Promise<void>;
}

/** A shard as the coordinator holds it: in a worker (WorkerShard) or in this thread (InProcessShard). */
export interface Shard extends ShardWorkerApi {
  readonly shardId: number;
}
