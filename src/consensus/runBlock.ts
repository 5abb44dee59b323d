/**
 * Runs a minor block's state transition (chain_rules §2.2 step 2): cross-shard deposits by the
 * cursor, then the transactions within the remaining gas, then the coinbase. `executeBlock`
 * validates a given transaction list (any failing tx throws); `buildBlock` fills a candidate
 * from pool candidates, skipping those that fail.
 */
import type { Address } from '../core/address.js';
import type { Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';
import type { XshardCursor } from '../core/minorBlock.js';
import type { TaxRate } from '../core/config.js';
import type { Transaction } from '../core/transaction.js';
import type { AccountTrie } from './accountTrie.js';
import { applyDeposits, type AppliedDeposit, type DepositContext } from './applyDeposits.js';
import { applyTx, type TxContext } from './applyTx.js';
import { txGasBudget } from './gas.js';
import { afterTax } from './rewards.js';
import { StateOverlay, type AccountChange } from './stateOverlay.js';
import { ChainError } from '../core/errors.js';
import { keyOf } from '../core/bytes.js';

export interface SenderTx {
  readonly tx: Transaction;
  readonly hash: Bytes;
  readonly sender: Bytes;
  /** `keyOf(sender)` when the caller has it (pool entries carry it from admission). */
  readonly senderKey?: string;
}

export interface RunContext {
  readonly tx: TxContext;
  readonly deposits: DepositContext;
  readonly gasLimit: number;
  readonly xshardGasLimit: number;
  readonly coinbase: Address;
  readonly blockReward: bigint;
  readonly tax: TaxRate;
  /** Every other shard, to which lists (empty ones too) are emitted when cross-shard is enabled. */
  readonly otherShards: readonly number[];
}

export interface RunResult {
  readonly trie: AccountTrie;
  readonly diff: AccountChange[];
  readonly txs: SenderTx[];
  readonly gasUsed: number;
  readonly xshardGasUsed: number;
  readonly cursor: XshardCursor;
  readonly coinbaseAmount: bigint;
  /** Fees paid in this block: 21,000·gasPrice per tx and 9,000·gasPrice per applied deposit. */
  readonly fee: bigint;
  /** Deposit lists per destination full shard id. */
  readonly lists: Map<number, Deposit[]>;
  readonly applied: AppliedDeposit[];
}

interface Acc {
  state: StateOverlay;
  gasUsed: number;
  fee: bigint;
  lists: Map<number, Deposit[]>;
  txs: SenderTx[];
}

function start(parent: AccountTrie, cursor: XshardCursor, ctx: RunContext): { acc: Acc; xs: ReturnType<typeof applyDeposits> } {
  const state = new StateOverlay(parent);
  const xs = applyDeposits(state, cursor, ctx.deposits);
  const lists = new Map<number, Deposit[]>();
  if (ctx.tx.xshardEnabled) for (const id of ctx.otherShards) lists.set(id, []);
  return { acc: { state, gasUsed: 0, fee: xs.fee, lists, txs: [] }, xs };
}

function applyOne(acc: Acc, st: SenderTx, budget: number, ctx: RunContext, senderKey?: string): void {
  const r = applyTx(acc.state, st.tx, st.sender, st.hash, budget - acc.gasUsed, ctx.tx, senderKey);
  acc.gasUsed += r.gasUsed;
  acc.fee += r.fee;
  if (r.deposit) acc.lists.get(r.deposit.toShard)!.push(r.deposit.deposit);
  acc.txs.push(st);
}

function finish(acc: Acc, xs: ReturnType<typeof applyDeposits>, ctx: RunContext): RunResult {
  const coinbaseAmount = afterTax(ctx.blockReward + acc.fee, ctx.tax);
  acc.state.credit(ctx.coinbase.recipient, coinbaseAmount);
  const { trie, diff } = acc.state.commit();
  return {
    trie, diff, txs: acc.txs, gasUsed: acc.gasUsed + xs.gasUsed, xshardGasUsed: xs.gasUsed, cursor: xs.cursor,
    coinbaseAmount, fee: acc.fee, lists: acc.lists, applied: xs.applied,
  };
}

/** Validation: every transaction must apply, in order. */
export function executeBlock(parent: AccountTrie, cursor: XshardCursor, txs: readonly SenderTx[], ctx: RunContext): RunResult {
  const { acc, xs } = start(parent, cursor, ctx);
  const budget = txGasBudget(ctx, xs.gasUsed);
  for (const st of txs) applyOne(acc, st, budget, ctx);
  return finish(acc, xs, ctx);
}

/**
 * Block creation: takes candidates in order, skipping any that fail (`rejected` is told why)
 * and every later transaction of a sender that failed or did not fit, whose nonces would not follow.
 */
export function buildBlock(
  parent: AccountTrie, cursor: XshardCursor, candidates: Iterable<SenderTx>, ctx: RunContext,
  rejected?: (st: SenderTx, e: ChainError) => void,
): RunResult {
  const { acc, xs } = start(parent, cursor, ctx);
  const budget = txGasBudget(ctx, xs.gasUsed);
  const blocked = new Set<string>();
  for (const st of candidates) {
    const sender = st.senderKey ?? keyOf(st.sender);
    if (blocked.has(sender)) continue;
    if (budget - acc.gasUsed < st.tx.gasLimit) { blocked.add(sender); continue; }
    try {
      applyOne(acc, st, budget, ctx, sender);
    } catch (e) {
      blocked.add(sender);
      rejected?.(st, ChainError.from(e));
    }
  }
  return finish(acc, xs, ctx);
}
