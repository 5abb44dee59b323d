/**
 * Applies one transfer to a block's state (DESIGN §6; chain_rules §2.5). Any failure throws an
 * `invalid` error: a block with a failing transaction is invalid.
 */
import { check } from '../core/errors.js';
import type { Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';
import type { Transaction } from '../core/transaction.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from './gas.js';
import type { StateOverlay } from './stateOverlay.js';

export interface TxContext {
  readonly networkId: number;
  /** Full shard id of the block's shard. */
  readonly shardId: number;
  readonly xshardGasLimit: number;
  readonly minGasPrice: bigint;
  /** Maps a full shard key to its full shard id (throws on an unknown chain). */
  readonly keyToShard: (key: number) => number;
  /** Cross-shard transfers need a root reference past genesis (destinations initialised). */
  readonly xshardEnabled: boolean;
}

export interface TxResult {
  /** Gas this tx counts in this block. */
  readonly gasUsed: number;
  readonly fee: bigint;
  /** The deposit for the destination shard when the tx crosses shards. */
  readonly deposit: { readonly toShard: number; readonly deposit: Deposit } | null;
}

/**
 * `sender` is the recovered 20-byte recipient of the signer; `gasLeft` the block's remaining
 * transaction gas; `hash` the tx hash.
 */
export function applyTx(state: StateOverlay, tx: Transaction, sender: Bytes, hash: Bytes, gasLeft: number, ctx: TxContext): TxResult {
  check(tx.networkId === ctx.networkId, 'TX_WRONG_NETWORK', `network id ${tx.networkId} ≠ ${ctx.networkId}`);
  check(ctx.keyToShard(tx.fromFullShardKey) === ctx.shardId, 'TX_WRONG_SHARD', `from key 0x${tx.fromFullShardKey.toString(16)} is not in this shard`);
  check(tx.gasPrice >= ctx.minGasPrice, 'TX_GAS_PRICE_TOO_LOW', `gas price ${tx.gasPrice} below ${ctx.minGasPrice}`);
  const toShard = ctx.keyToShard(tx.to.fullShardKey);
  const xshard = toShard !== ctx.shardId;
  if (xshard) {
    check(ctx.xshardEnabled, 'TX_XSHARD_NOT_READY', 'cross-shard transfers need a root reference past genesis');
    check(tx.gasLimit >= GAS_XSHARD_MIN, 'TX_INTRINSIC_GAS', `cross-shard gas limit ${tx.gasLimit} below ${GAS_XSHARD_MIN}`);
    check(tx.gasLimit <= ctx.xshardGasLimit, 'TX_XSHARD_GAS_LIMIT', `cross-shard gas limit ${tx.gasLimit} above ${ctx.xshardGasLimit}`);
  } else {
    check(tx.gasLimit >= GAS_TRANSFER, 'TX_INTRINSIC_GAS', `gas limit ${tx.gasLimit} below ${GAS_TRANSFER}`);
  }
  check(tx.gasLimit <= gasLeft, 'TX_BLOCK_GAS_EXCEEDED', `gas limit ${tx.gasLimit} exceeds the block's remaining ${gasLeft}`);
  const acct = state.get(sender);
  check(tx.nonce === acct.nonce, 'TX_BAD_NONCE', `nonce ${tx.nonce}, account nonce ${acct.nonce}`);
  const upfront = tx.value + BigInt(tx.gasLimit) * tx.gasPrice;
  check(acct.balance >= upfront, 'TX_INSUFFICIENT_BALANCE', `balance ${acct.balance} < value + gas ${upfront}`);
  const fee = BigInt(GAS_TRANSFER) * tx.gasPrice;
  if (xshard) {
    // The whole gas limit is charged up front; the unused part travels with the deposit.
    state.set(sender, { balance: acct.balance - upfront, nonce: acct.nonce + 1 });
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
  state.set(sender, { balance: acct.balance - tx.value - fee, nonce: acct.nonce + 1 });
  state.credit(tx.to.recipient, tx.value);
  return { gasUsed: GAS_TRANSFER, fee, deposit: null };
}
