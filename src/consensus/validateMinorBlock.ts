/**
 * Minor block rules after the header (DESIGN §5): root reference → body (meta hash, tx merkle
 * root, coinbase shard, cross-shard gas limit) → post-state after execution.
 */
import { check, notYet } from '../core/errors.js';
import { equalBytes, type Bytes } from '../core/bytes.js';
import { metaHash, txMerkleRoot, type MinorBlock, type MinorHeader } from '../core/minorBlock.js';
import type { RunResult } from './runBlock.js';

export interface RootRefContext {
  /** Height of a known root block, undefined when unknown. */
  readonly rootHeight: (hash: Bytes) => number | undefined;
  /** True when root block `a` is an ancestor of or equal to root block `b` (both known). */
  readonly isRootAncestor: (a: Bytes, b: Bytes) => boolean;
  /** The last block of this shard confirmed by root block `root` (genesis if none). */
  readonly confirmedAt: (root: Bytes) => Bytes;
  /** True when minor block `a` is an ancestor of or equal to minor block `b` (both stored). */
  readonly isMinorAncestor: (a: Bytes, b: Bytes) => boolean;
}

export function validateRootReference(h: MinorHeader, parent: MinorHeader, parentHash: Bytes, ctx: RootRefContext): void {
  const height = ctx.rootHeight(h.hashPrevRootBlock);
  if (height === undefined) throw notYet('BLOCK_ROOT_UNKNOWN', 'the referenced root block is unknown');
  check(ctx.isRootAncestor(parent.hashPrevRootBlock, h.hashPrevRootBlock), 'BLOCK_ROOT_NOT_DESCENDANT',
    "the root reference does not descend from the parent's root reference");
  check(ctx.isMinorAncestor(ctx.confirmedAt(h.hashPrevRootBlock), parentHash), 'BLOCK_ROOT_CONFIRMED_CONFLICT',
    'the shard block confirmed by the referenced root block is not an ancestor of the parent');
}

export function validateBody(b: MinorBlock, ctx: { xshardGasLimit: number; coinbaseShard: (key: number) => number; shardId: number }): void {
  check(equalBytes(b.header.hashMeta, metaHash(b.meta)), 'BLOCK_BAD_META_HASH', 'hashMeta does not match the meta');
  check(b.meta.xshardGasLimit === ctx.xshardGasLimit, 'BLOCK_BAD_XSHARD_GAS_LIMIT', `cross-shard gas limit ${b.meta.xshardGasLimit} ≠ ${ctx.xshardGasLimit}`);
  check(ctx.coinbaseShard(b.header.coinbase.fullShardKey) === ctx.shardId, 'BLOCK_BAD_COINBASE_SHARD', 'coinbase address is not in this shard');
  check(equalBytes(b.meta.txMerkleRoot, txMerkleRoot(b.txs)), 'BLOCK_BAD_TX_ROOT', 'tx merkle root does not match the transactions');
}

export function validatePostState(b: MinorBlock, r: RunResult): void {
  const m = b.meta;
  check(m.cursor.rootHeight === r.cursor.rootHeight && m.cursor.minorIndex === r.cursor.minorIndex && m.cursor.depositIndex === r.cursor.depositIndex,
    'BLOCK_BAD_CURSOR', `cursor (${m.cursor.rootHeight},${m.cursor.minorIndex},${m.cursor.depositIndex}) ≠ (${r.cursor.rootHeight},${r.cursor.minorIndex},${r.cursor.depositIndex})`);
  check(m.xshardGasUsed === r.xshardGasUsed, 'BLOCK_BAD_XSHARD_GAS_USED', `cross-shard gas used ${m.xshardGasUsed} ≠ ${r.xshardGasUsed}`);
  check(m.gasUsed === r.gasUsed, 'BLOCK_BAD_GAS_USED', `gas used ${m.gasUsed} ≠ ${r.gasUsed}`);
  check(b.header.coinbaseAmount === r.coinbaseAmount, 'BLOCK_BAD_COINBASE_AMOUNT', `coinbase ${b.header.coinbaseAmount} ≠ ${r.coinbaseAmount}`);
  check(equalBytes(m.stateRoot, r.trie.root()), 'BLOCK_BAD_STATE_ROOT', 'state root does not match the post-state');
}
