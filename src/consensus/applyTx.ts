/**
 * Applies one transfer to a block's state (DESIGN §6; chain_rules §2.5): the shared rules of
 * txRules.ts, then the block's gas. Any failure throws an `invalid` error: a block with a failing
 * transaction is invalid.
 */
import { invalid } from '../core/errors.js';
import { keyOf, type Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';
import type { Transaction } from '../core/transaction.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from './gas.js';
import { checkBalance, checkNonce, checkTxStateless, type TxRulesContext } from './txRules.js';
import type { StateOverlay } from './stateOverlay.js';

/** The block's transaction context: the shared rules' context (txRules.ts). */
export type TxContext = TxRulesContext;

export interface TxResult {
  /** Gas this tx counts in this block. */
  readonly gasUsed: number;
  readonly fee: bigint;
  /** The deposit for the destination shard when the tx crosses shards. */
  readonly deposit: { readonly toShard: number; readonly deposit: Deposit } | null;
}

/**
 * `sender` is the recovered 20-byte recipient of the signer (`senderKey` its `keyOf`);
 * `gasLeft` the block's remaining transaction gas; `hash` the tx hash.
 */
export function applyTx(state: StateOverlay, tx: Transaction, sender: Bytes, hash: Bytes, gasLeft: number, ctx: TxContext, senderKey: string = keyOf(sender)): TxResult {
  const toShard = checkTxStateless(tx, ctx);
  const xshard = toShard !== ctx.shardId;
  if (tx.gasLimit > gasLeft) throw invalid('TX_BLOCK_GAS_EXCEEDED', `gas limit ${tx.gasLimit} exceeds the block's remaining ${gasLeft}`);
  const acct = state.get(sender, senderKey);
  checkNonce(acct, tx);
  const upfront = checkBalance(acct, tx);
  const fee = BigInt(GAS_TRANSFER) * tx.gasPrice;
  if (xshard) {
    // The whole gas limit is charged up front; the unused part travels with the deposit.
    state.set(sender, { balance: acct.balance - upfront, nonce: acct.nonce + 1 }, senderKey);
    const deposit: Deposit = {
      txHash: hash,
      from: { recipient: sender, fullShardKey: tx.fromFullShardKey },
      to: tx.to,
      value: tx.value,
      gasPrice: tx.gasPrice,
      gasRemaining: tx.gasLimit - GAS_XSHARD_MIN,
    };
    return { gasUsed: GAS_TRANSFER, fee, deposit: { toShard, deposit } };
  }
  state.set(sender, { balance: acct.balance - tx.value - fee, nonce: acct.nonce + 1 }, senderKey);
  state.credit(tx.to.recipient, tx.value);
  return { gasUsed: GAS_TRANSFER, fee, deposit: null };
}
