/**
 * The conservation equation of DESIGN §6, from per-shard cumulative block statistics:
 *   Σ balances + inFlight = genesis + Σ shard coinbase + Σ root coinbase − Σ fees
 * with every shard taken at its block confirmed by the same root block R, and
 *   inFlight = Σ emitted deposits + Σ root coinbase (≤ R) − Σ applied deposits,
 * a deposit counted as value + (gasRemaining + 9,000)·gasPrice, a root coinbase deposit as its value.
 */
import type { Deposit } from '../core/deposit.js';
import { GAS_XSHARD_DEPOSIT } from './gas.js';

/** Cumulative totals along a shard's chain up to and including a block. */
export interface BlockStats {
  readonly coinbase: bigint;
  readonly fees: bigint;
  readonly emitted: bigint;
  readonly applied: bigint;
  readonly txs: number;
}

export const ZERO_STATS: BlockStats = { coinbase: 0n, fees: 0n, emitted: 0n, applied: 0n, txs: 0 };

/** What a deposit is worth while in flight. */
export function depositWorth(d: Deposit, fromRoot: boolean): bigint {
  return fromRoot ? d.value : d.value + BigInt(d.gasRemaining + GAS_XSHARD_DEPOSIT) * d.gasPrice;
}

export interface ShardPart {
  readonly balances: bigint;
  readonly genesis: bigint;
  readonly stats: BlockStats;
}

export interface Conservation {
  readonly ok: boolean;
  readonly balances: bigint;
  readonly inFlight: bigint;
  readonly expected: bigint;
}

export function checkConservation(parts: readonly ShardPart[], rootCoinbaseTotal: bigint): Conservation {
  let balances = 0n;
  let emitted = rootCoinbaseTotal;
  let applied = 0n;
  let expected = rootCoinbaseTotal;
  for (const p of parts) {
    balances += p.balances;
    emitted += p.stats.emitted;
    applied += p.stats.applied;
    expected += p.genesis + p.stats.coinbase - p.stats.fees;
  }
  const inFlight = emitted - applied;
  return { ok: balances + inFlight === expected, balances, inFlight, expected };
}
