/**
 * Root block rules (DESIGN §8; chain_rules §4.2), cheap first: header structure → parent and
 * height → time → difficulty and total difficulty → seal → merkle root → listed minor headers
 * (known and committed, time, root reference, ordering, per-shard cap and continuity) →
 * coinbase amount; the body starts with the coinbase address, which some shard must own.
 * Pure: the caller passes lookups and `nowSec`.
 */
import { ChainError, check, notYet } from '../core/errors.js';
import { equalBytes, type Bytes } from '../core/bytes.js';
import type { ConsensusParams, TaxRate } from '../core/config.js';
import { minorHeaderHash, type MinorHeader } from '../core/minorBlock.js';
import { minorHeadersMerkleRoot, rootSealHash, type RootBlock, type RootHeader } from '../core/rootBlock.js';
import { nextDifficulty } from './difficulty.js';
import { rootCoinbaseAmount } from './rewards.js';
import { checkSeal } from './seal.js';
import { BLOCK_VERSION, MAX_FUTURE_SECONDS } from './validateMinorHeader.js';

export interface RootBlockContext {
  readonly consensus: ConsensusParams;
  readonly nowSec: number;
  readonly maxHeadersPerShard: number;
  readonly rootReward: bigint;
  readonly tax: TaxRate;
  readonly shardIds: ReadonlySet<number>;
  /** Maps a full shard key to its full shard id; throws UNKNOWN_CHAIN for a chain that does not exist. */
  readonly keyToShard: (key: number) => number;
  /** True when the minor header has been validated and committed by its shard. */
  readonly isCommitted: (hash: Bytes) => boolean;
  /** True when root block `a` is an ancestor of or equal to root block `b` (both known). */
  readonly isRootAncestor: (a: Bytes, b: Bytes) => boolean;
  /** Hash of the last header of `shard` confirmed on the chain ending at the parent (its genesis if none). */
  readonly lastConfirmed: (shard: number) => Bytes;
  readonly skipSeal?: boolean;
}

export function validateRootHeader(h: RootHeader, parent: RootHeader | undefined, ctx: Pick<RootBlockContext, 'consensus' | 'nowSec' | 'skipSeal'>): void {
  check(h.version === BLOCK_VERSION, 'ROOT_BAD_VERSION', `version ${h.version}`);
  check(h.height >= 1, 'ROOT_BAD_HEIGHT', 'height must be ≥ 1');
  if (!parent) throw notYet('ROOT_PARENT_UNKNOWN', `parent of root block ${h.height} is unknown`);
  check(h.height === parent.height + 1, 'ROOT_BAD_HEIGHT', `height ${h.height} ≠ parent ${parent.height} + 1`);
  check(h.createTime > parent.createTime, 'ROOT_TIME_NOT_AFTER_PARENT', `time ${h.createTime} ≤ parent ${parent.createTime}`);
  if (h.createTime > ctx.nowSec + MAX_FUTURE_SECONDS) throw notYet('ROOT_TIME_IN_FUTURE', `time ${h.createTime} is ahead of ${ctx.nowSec}`);
  const want = nextDifficulty(parent.difficulty, parent.createTime, h.createTime, ctx.consensus);
  check(h.difficulty === want, 'ROOT_BAD_DIFFICULTY', `difficulty ${h.difficulty} ≠ expected ${want}`);
  check(h.totalDifficulty === parent.totalDifficulty + h.difficulty, 'ROOT_BAD_TOTAL_DIFFICULTY', 'total difficulty ≠ parent + difficulty');
  if (!ctx.skipSeal) {
    checkSeal(ctx.consensus.algo, { sealHash: rootSealHash(h), nonce: h.nonce, mixhash: h.mixhash, difficulty: h.difficulty, height: h.height });
  }
}

function validateMinorList(b: RootBlock, ctx: RootBlockContext): void {
  const h = b.header;
  let prevShard = -1;
  let count = 0;
  let prev: { hash: Bytes; height: number } | null = null;
  for (const mh of b.minorHeaders) {
    const hash = minorHeaderHash(mh);
    check(ctx.shardIds.has(mh.branch), 'ROOT_UNKNOWN_SHARD', `minor header of unknown shard 0x${mh.branch.toString(16)}`);
    check(mh.branch >= prevShard, 'ROOT_MINOR_ORDER', 'minor headers must be in ascending full shard id');
    if (!ctx.isCommitted(hash)) throw notYet('ROOT_MINOR_UNKNOWN', `minor header ${Buffer.from(hash).toString('hex').slice(0, 16)} is not committed yet`);
    check(mh.createTime <= h.createTime, 'ROOT_MINOR_TIME', 'a minor header is newer than the root block');
    check(ctx.isRootAncestor(mh.hashPrevRootBlock, h.hashPrevBlock), 'ROOT_MINOR_ROOT_REFERENCE', "a minor header's root reference is not on the parent chain");
    if (mh.branch !== prevShard) {
      prevShard = mh.branch;
      count = 0;
      prev = null;
    }
    count++;
    check(count <= ctx.maxHeadersPerShard, 'ROOT_TOO_MANY_HEADERS', `more than ${ctx.maxHeadersPerShard} headers of shard 0x${mh.branch.toString(16)}`);
    const linkTo = prev ? prev.hash : ctx.lastConfirmed(mh.branch);
    check(equalBytes(mh.hashPrevMinorBlock, linkTo), 'ROOT_MINOR_DISCONTINUOUS', `headers of shard 0x${mh.branch.toString(16)} do not continue its confirmed chain`);
    if (prev) check(mh.height === prev.height + 1, 'ROOT_MINOR_DISCONTINUOUS', 'minor header heights are not consecutive');
    prev = { hash, height: mh.height };
  }
}

function ownedByAShard(key: number, ctx: RootBlockContext): boolean {
  try {
    return ctx.shardIds.has(ctx.keyToShard(key));
  } catch (e) {
    if (e instanceof ChainError && e.code === 'UNKNOWN_CHAIN') return false;
    throw e;
  }
}

/** Everything but the header rules (call validateRootHeader first). */
export function validateRootBody(b: RootBlock, ctx: RootBlockContext): void {
  // Every shard walks the root coinbase deposit (DESIGN §7 step 4): an address of no shard would stall them all.
  check(ownedByAShard(b.header.coinbase.fullShardKey, ctx), 'ROOT_BAD_COINBASE_ADDRESS',
    `coinbase full shard key 0x${b.header.coinbase.fullShardKey.toString(16)} belongs to no shard`);
  check(equalBytes(b.header.hashMerkleRoot, minorHeadersMerkleRoot(b.minorHeaders)), 'ROOT_BAD_MERKLE_ROOT', 'merkle root does not match the minor headers');
  validateMinorList(b, ctx);
  const want = rootCoinbaseAmount(ctx.rootReward, b.minorHeaders.map((m: MinorHeader) => m.coinbaseAmount), ctx.tax);
  check(b.header.coinbaseAmount === want, 'ROOT_BAD_COINBASE_AMOUNT', `coinbase ${b.header.coinbaseAmount} ≠ expected ${want}`);
}
