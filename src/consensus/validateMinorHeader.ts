/**
 * Minor header rules, cheap first (DESIGN §5): structure → parent/height/branch → time →
 * difficulty → seal. Root reference and body rules follow in validateMinorBlock.ts.
 * Pure: the caller passes the parent header and `nowSec`.
 */
import { check, notYet } from '../core/errors.js';
import type { ConsensusParams } from '../core/config.js';
import { minorSealHash, type MinorHeader } from '../core/minorBlock.js';
import { nextDifficulty } from './difficulty.js';
import { checkSeal } from './seal.js';

export const BLOCK_VERSION = 0;
/** A block may be at most this far ahead of our clock (QuarkChain's ALLOWED_FUTURE_BLOCKS_TIME_VALIDATION). */
export const MAX_FUTURE_SECONDS = 15;

export interface MinorHeaderContext {
  readonly shardId: number;
  readonly gasLimit: number;
  readonly consensus: ConsensusParams;
  readonly nowSec: number;
  /** Skip the seal (blocks this node built and sealed itself are not re-verified). */
  readonly skipSeal?: boolean;
}

export function validateMinorHeader(h: MinorHeader, parent: MinorHeader | undefined, ctx: MinorHeaderContext): void {
  check(h.version === BLOCK_VERSION, 'BLOCK_BAD_VERSION', `version ${h.version}`);
  check(h.branch === ctx.shardId, 'BLOCK_BAD_BRANCH', `branch 0x${h.branch.toString(16)} is not shard 0x${ctx.shardId.toString(16)}`);
  check(h.height >= 1, 'BLOCK_BAD_HEIGHT', 'height must be ≥ 1');
  if (!parent) throw notYet('BLOCK_PARENT_UNKNOWN', `parent of block at height ${h.height} is unknown`);
  check(h.height === parent.height + 1, 'BLOCK_BAD_HEIGHT', `height ${h.height} ≠ parent ${parent.height} + 1`);
  check(h.gasLimit === ctx.gasLimit, 'BLOCK_BAD_GAS_LIMIT', `gas limit ${h.gasLimit} ≠ ${ctx.gasLimit}`);
  check(h.createTime > parent.createTime, 'BLOCK_TIME_NOT_AFTER_PARENT', `time ${h.createTime} ≤ parent ${parent.createTime}`);
  if (h.createTime > ctx.nowSec + MAX_FUTURE_SECONDS) throw notYet('BLOCK_TIME_IN_FUTURE', `time ${h.createTime} is more than ${MAX_FUTURE_SECONDS}s ahead of ${ctx.nowSec}`);
  const want = nextDifficulty(parent.difficulty, parent.createTime, h.createTime, ctx.consensus);
  check(h.difficulty === want, 'BLOCK_BAD_DIFFICULTY', `difficulty ${h.difficulty} ≠ expected ${want}`);
  if (!ctx.skipSeal) {
    checkSeal(ctx.consensus.algo, { sealHash: minorSealHash(h), nonce: h.nonce, mixhash: h.mixhash, difficulty: h.difficulty, height: h.height });
  }
}
