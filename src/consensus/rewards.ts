/**
 * Rewards and QuarkChain's tax (DESIGN §6, chain_rules §2.6 and §4.3). The tax split is an
 * integer fraction and all rounding happens here (floor), so every layer agrees to the unit.
 */
import type { TaxRate } from '../core/config.js';

/** The shard miner's share: floor(amount · (1 − tax)). */
export function afterTax(amount: bigint, tax: TaxRate): bigint {
  return (amount * (tax.den - tax.num)) / tax.den;
}

/**
 * The root miner's share of a shard block whose header carries `shardCoinbaseAmount`
 * (already net of tax): floor(amount · tax / (1 − tax)); with tax ½ it equals the amount.
 */
export function rootShareOf(shardCoinbaseAmount: bigint, tax: TaxRate): bigint {
  const rest = tax.den - tax.num;
  return (shardCoinbaseAmount * tax.num) / rest;
}

/** Root coinbase = root reward + Σ root shares of the listed headers. */
export function rootCoinbaseAmount(rootReward: bigint, headerAmounts: Iterable<bigint>, tax: TaxRate): bigint {
  let total = rootReward;
  for (const a of headerAmounts) total += rootShareOf(a, tax);
  return total;
}
