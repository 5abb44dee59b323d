/**
 * QuarkChain difficulty adjustment (chain_rules §5.1; same formula for root and shards):
 *   sign = max(1 − floor((t − parentTime) / cutoff), −99)
 *   next = max(parentDiff + floor(parentDiff / factor) · sign, minimumDiff)
 * Requires t > parentTime.
 */
import { invalid } from '../core/errors.js';
import type { ConsensusParams } from '../core/config.js';

/** QuarkChain clamps the downward step so a long gap cannot collapse the difficulty in one block. */
export const MIN_DIFFICULTY_SIGN = -99;

export function nextDifficulty(
  parentDifficulty: bigint,
  parentTime: number,
  time: number,
  p: Pick<ConsensusParams, 'cutoff' | 'factor' | 'minimumDifficulty'>,
): bigint {
  if (!(time > parentTime)) throw invalid('TIME_NOT_AFTER_PARENT', `time ${time} must be after parent time ${parentTime}`);
  const sign = Math.max(1 - Math.floor((time - parentTime) / p.cutoff), MIN_DIFFICULTY_SIGN);
  const next = parentDifficulty + (parentDifficulty / BigInt(p.factor)) * BigInt(sign);
  return next > p.minimumDifficulty ? next : p.minimumDifficulty;
}
