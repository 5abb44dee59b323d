/**
 * Pruning for long in-memory runs (`retainBlocks`): every committed canonical block more than
 * `retain` below the confirmed tip loses its body, emitted lists and state diff (the state of
 * the highest one is pinned as the anchor that later states are rebuilt from, and the blocks
 * below it leave the tree), lists whose deposits are consumed go too, and so do the minor
 * headers of root blocks older than any cursor still in use.
 */
import type { BatchOp } from '../store/kv.js';
import type { BlockNode } from './blockTree.js';
import type { ChainParts } from './chainParts.js';
import { confirmedTip } from './forkChoice.js';
import { ShardStore } from './shardStore.js';

/** With pruning on, received lists are kept this many root blocks behind the confirmed cursor. */
const PRUNE_ROOT_MARGIN = 2;

export async function pruneOps(p: ChainParts, retain: number): Promise<BatchOp[]> {
  const confirmed = confirmedTip(p);
  const ops: BatchOp[] = [];
  let anchor: BlockNode | undefined;
  for (let h = p.prunedHeight + 1; h <= confirmed.header.height - retain; h++) {
    const old = p.tree.canonicalAt(h);
    if (!old || !old.committed) break;
    p.prunedHeight = h;
    anchor = old;
  }
  // The anchor's state is built before the batch deletes the diffs it is built from.
  if (anchor) {
    await p.states.pinAnchor(anchor);
    const pending: BlockNode[] = [];
    for (let n = anchor.parent; n; n = n.parent) pending.push(n);
    for (let i = pending.length - 1; i >= 0; i--) {
      const n = pending[i]!;
      p.history.push({ height: n.header.height, createTime: n.header.createTime, txsCum: n.stats.txs, gasUsed: n.meta.gasUsed });
    }
    // The anchor keeps its header and statistics; everything below it goes whole.
    ops.push(...ShardStore.delBody(anchor.hash));
    for (const n of p.tree.pruneBelow(anchor)) ops.push(...ShardStore.delBlock(n.hash));
    // Deposits are collected from root blocks at or after a block's cursor; the anchor's is the lowest still needed.
    for (const e of p.roots.pruneBodies(anchor.meta.cursor.rootHeight - PRUNE_ROOT_MARGIN)) ops.push(ShardStore.delRoot(e.hash));
  }
  ops.push(...p.lists.pruneBelow(confirmed.meta.cursor.rootHeight - PRUNE_ROOT_MARGIN));
  return ops;
}
