/** Gas rules (DESIGN §6; chain_rules §2.5 is normative). */
import type { Config } from '../core/config.js';

/** An in-shard transfer's gas, and what a cross-shard transfer's source block counts. */
export const GAS_TRANSFER = 21_000;
/** Intrinsic gas of a cross-shard transfer: 21,000 + QuarkChain's GTXXSHARDCOST 9,000. */
export const GAS_XSHARD_MIN = 30_000;
/** Gas a destination block charges (to its cross-shard gas) per applied deposit. */
export const GAS_XSHARD_DEPOSIT = GAS_XSHARD_MIN - GAS_TRANSFER;

/**
 * Gas that transactions of a block may use (DESIGN §6): gasLimit − xshardGasLimit plus whatever
 * cross-shard gas the deposits left unused, i.e. gasLimit − xshardGasUsed; when the deposits
 * overshoot the cross-shard limit by one deposit, the block as a whole still stays within gasLimit.
 */
export function txGasBudget(cfg: Pick<Config, 'gasLimit'>, xshardGasUsed: number): number {
  return Math.max(cfg.gasLimit - xshardGasUsed, 0);
}
