/**
 * The transaction rules shared by pool admission (shard/admitTx.ts) and block application
 * (applyTx.ts), so that the pool never admits a transfer that a block would refuse for a rule
 * it can already judge, and both refuse it with the same code (chain_rules §2.5). They run for
 * every transfer twice: a message is built only when a rule fails.
 */
import { invalid } from '../core/errors.js';
import type { Transaction } from '../core/transaction.js';
import type { Account } from './accountTrie.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from './gas.js';

export interface TxRulesContext {
  readonly networkId: number;
  /** Full shard id of the shard that takes the transaction. */
  readonly shardId: number;
  readonly xshardGasLimit: number;
  readonly minGasPrice: bigint;
  /** Maps a full shard key to its full shard id (throws UNKNOWN_CHAIN on an unknown chain). */
  readonly keyToShard: (key: number) => number;
  /** Cross-shard transfers need a root reference past genesis (destinations initialised). */
  readonly xshardEnabled: boolean;
}

/**
 * The rules that need no state: network, sender shard, minimum gas price, destination chain,
 * cross-shard enabled, intrinsic gas and the cross-shard gas bounds. Returns the destination's
 * full shard id. Throws `invalid` with the rule's code.
 */
export function checkTxStateless(tx: Transaction, ctx: TxRulesContext): number {
  if (tx.networkId !== ctx.networkId) throw invalid('TX_WRONG_NETWORK', `network id ${tx.networkId} ≠ ${ctx.networkId}`);
  if (ctx.keyToShard(tx.fromFullShardKey) !== ctx.shardId) throw invalid('TX_WRONG_SHARD', `from key 0x${tx.fromFullShardKey.toString(16)} is not in this shard`);
  if (tx.gasPrice < ctx.minGasPrice) throw invalid('TX_GAS_PRICE_TOO_LOW', `gas price ${tx.gasPrice} below ${ctx.minGasPrice}`);
  const toShard = ctx.keyToShard(tx.to.fullShardKey);
  if (toShard !== ctx.shardId) {
    if (!ctx.xshardEnabled) throw invalid('TX_XSHARD_NOT_READY', 'cross-shard transfers need a root reference past genesis');
    if (tx.gasLimit < GAS_XSHARD_MIN) throw invalid('TX_INTRINSIC_GAS', `cross-shard gas limit ${tx.gasLimit} below ${GAS_XSHARD_MIN}`);
    if (tx.gasLimit > ctx.xshardGasLimit) throw invalid('TX_XSHARD_GAS_LIMIT', `cross-shard gas limit ${tx.gasLimit} above ${ctx.xshardGasLimit}`);
  } else {
    if (tx.gasLimit < GAS_TRANSFER) throw invalid('TX_INTRINSIC_GAS', `gas limit ${tx.gasLimit} below ${GAS_TRANSFER}`);
  }
  return toShard;
}

/** What the sender pays before the transfer runs: value plus the whole gas limit. */
export function upfrontCost(tx: Transaction): bigint {
  return tx.value + BigInt(tx.gasLimit) * tx.gasPrice;
}

/** The sender can pay `upfrontCost`; returns it (the caller debits it). */
export function checkBalance(acct: Account, tx: Transaction): bigint {
  const upfront = upfrontCost(tx);
  if (acct.balance < upfront) throw invalid('TX_INSUFFICIENT_BALANCE', `balance ${acct.balance} < value + gas ${upfront}`);
  return upfront;
}

/**
 * The nonce a block needs: exactly the account's. (The pool also holds later nonces, for later
 * blocks; it refuses only lower ones, as TX_NONCE_TOO_LOW in shard/txPool.ts.)
 */
export function checkNonce(acct: Account, tx: Transaction): void {
  if (tx.nonce !== acct.nonce) throw invalid('TX_BAD_NONCE', `nonce ${tx.nonce}, account nonce ${acct.nonce}`);
}
