/**
 * Block import: validate the header, root reference and body, run (or reuse the candidate's
 * run), then store the block, its diff, emitted lists, statistics and tx index in one batch,
 * with the new tip and any pruning, and move the tip.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { consensusOf } from '../core/config.js';
import type { Deposit } from '../core/deposit.js';
import { minorHeaderHash, minorSealHash, type MinorBlock, type MinorHeader } from '../core/minorBlock.js';
import { txHash, txHashKey } from '../core/transaction.js';
import type { AppliedDeposit } from '../consensus/applyDeposits.js';
import { depositWorth, type BlockStats } from '../consensus/conservation.js';
import { executeBlock, type RunResult, type SenderTx } from '../consensus/runBlock.js';
import { validateMinorHeader } from '../consensus/validateMinorHeader.js';
import { validateBody, validatePostState, validateRootReference } from '../consensus/validateMinorBlock.js';
import type { BatchOp } from '../store/kv.js';
import type { ChainParts } from './chainParts.js';
import { prefers, switchTip } from './forkChoice.js';
import { pruneOps } from './prune.js';
import { runContext } from './runContext.js';
import { ShardStore } from './shardStore.js';
import { txIndexOps } from './txIndex.js';

export interface AddBlockResult {
  readonly status: 'added' | 'known';
  readonly hash: Bytes;
  readonly header: MinorHeader;
  /** Deposit lists emitted per destination (empty map when the block is known or sends none). */
  readonly lists: Map<number, Deposit[]>;
  readonly applied: readonly AppliedDeposit[];
  readonly tipChanged: boolean;
}

export interface AddBlockOptions {
  readonly nowSec: number;
  readonly skipSeal?: boolean;
}

/** Cumulative statistics after `block` (see src/consensus/conservation.ts). */
function nextStats(prev: BlockStats, block: MinorBlock, r: RunResult): BlockStats {
  let emitted = 0n;
  for (const list of r.lists.values()) for (const d of list) emitted += depositWorth(d, false);
  let applied = 0n;
  for (const a of r.applied) applied += depositWorth(a.deposit, a.fromRoot);
  return {
    coinbase: prev.coinbase + block.header.coinbaseAmount, fees: prev.fees + r.fee, emitted: prev.emitted + emitted,
    applied: prev.applied + applied, txs: prev.txs + block.txs.length,
  };
}

/** Header, root reference and body rules (everything but the post-state). */
function validateBlock(p: ChainParts, block: MinorBlock, opts: AddBlockOptions): void {
  const parent = p.tree.get(block.header.hashPrevMinorBlock);
  const consensus = consensusOf(p.cfg, p.shardId);
  validateMinorHeader(block.header, parent?.header, { shardId: p.shardId, gasLimit: p.cfg.gasLimit, consensus, nowSec: opts.nowSec, skipSeal: opts.skipSeal });
  const par = parent!;
  validateRootReference(block.header, par.header, par.hash, {
    rootHeight: (h) => p.roots.get(h)?.height,
    isRootAncestor: (a, b) => p.roots.isAncestor(a, b),
    confirmedAt: (r) => p.roots.get(r)!.confirmed.get(p.shardId)!,
    isMinorAncestor: (a, b) => { const na = p.tree.get(a); const nb = p.tree.get(b); return !!na && !!nb && p.tree.isAncestor(na, nb); },
  });
  validateBody(block, { xshardGasLimit: p.cfg.xshardGasLimit, coinbaseShard: p.keyToShard, shardId: p.shardId });
}

/** Validates and stores a block, then runs fork choice. */
export async function importBlock(p: ChainParts, block: MinorBlock, opts: AddBlockOptions): Promise<AddBlockResult> {
  const hash = minorHeaderHash(block.header);
  const known = p.tree.get(hash);
  if (known) return { status: 'known', hash, header: known.header, lists: new Map(), applied: [], tipChanged: false };
  const sealKey = keyOf(minorSealHash(block.header));
  let result = p.built.get(sealKey);
  // This node's candidate keeps the list produceBlock computed the Merkle root of (txMerkleRoot is memoised by list).
  validateBlock(p, block, opts);
  const parent = p.tree.get(block.header.hashPrevMinorBlock)!;
  if (!result) {
    const state = await p.states.of(parent);
    const ctx = await runContext(p, parent, p.roots.get(block.header.hashPrevRootBlock)!, block.header.coinbase);
    // A transfer still in the pool has its sender there (admission does not fill the sender cache).
    const txs: SenderTx[] = block.txs.map((tx) => ({ tx, hash: txHash(tx), sender: p.pool.getKey(txHashKey(tx))?.sender ?? p.senders.of(tx) }));
    result = executeBlock(state, parent.meta.cursor, txs, ctx);
  }
  validatePostState(block, result);
  p.built.delete(sealKey);
  const stats = nextStats(parent.stats, block, result);
  const ops: BatchOp[] = [
    ShardStore.putBlock(hash, block), ShardStore.putHeader(hash, block.header, block.meta), ShardStore.putDiff(hash, result.diff),
  ];
  if (result.lists.size) ops.push(ShardStore.putOutLists(hash, result.lists));
  ops.push(ShardStore.putStats(hash, stats));
  // RPC lookups index every transaction; a pruning (in-memory stress) chain keeps none, to stay flat in memory.
  if (p.retainBlocks === undefined) for (const op of txIndexOps(hash, result.txs.map((t) => t.hash), result.applied)) ops.push(op);
  const node = p.tree.add(block.header, block.meta, stats);
  p.states.set(node, result.trie);
  const tipChanged = prefers(p, node);
  if (tipChanged) ops.push(ShardStore.putMeta('tip', hash));
  // Pruning goes in the same batch: it only touches blocks below the root-confirmed tip.
  if (p.retainBlocks !== undefined) ops.push(...(await pruneOps(p, p.retainBlocks)));
  await p.store.batch(ops);
  if (tipChanged) await switchTip(p, node, block);
  return { status: 'added', hash, header: block.header, lists: result.lists, applied: result.applied, tipChanged };
}
