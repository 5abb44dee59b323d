/**
 * Root-chain-first fork choice (chain_rules §2.4): a block is preferred only if its root
 * reference is on the root tip's chain; then height, then the later root reference. Moving the
 * tip requeues the transactions of abandoned blocks and drops those now included.
 */
import type { Bytes } from '../core/bytes.js';
import type { MinorBlock } from '../core/minorBlock.js';
import { txHash, txHashKey } from '../core/transaction.js';
import type { BlockNode } from './blockTree.js';
import type { ChainParts } from './chainParts.js';
import { ShardStore } from './shardStore.js';
import type { PoolTx } from './txPool.js';

/** The last block of this shard confirmed by the root tip. */
export function confirmedTip(p: ChainParts): BlockNode {
  return p.tree.get(p.roots.tip.confirmed.get(p.shardId)!)!;
}

function rootRefOk(p: ChainParts, n: BlockNode): boolean {
  return p.roots.isAncestor(n.header.hashPrevRootBlock, p.roots.tip.hash);
}

function better(p: ChainParts, a: BlockNode, b: BlockNode): boolean {
  if (a.header.height !== b.header.height) return a.header.height > b.header.height;
  return p.roots.get(a.header.hashPrevRootBlock)!.height > p.roots.get(b.header.hashPrevRootBlock)!.height;
}

/** Whether a newly stored block becomes the tip. */
export function prefers(p: ChainParts, n: BlockNode): boolean {
  if (!rootRefOk(p, n)) return false;
  if (n.parent === p.tree.tip) return true;
  const confirmed = confirmedTip(p);
  return n !== confirmed && p.tree.isAncestor(confirmed, n) && better(p, n, p.tree.tip);
}

/** Moves the tip to `n` and updates the pool; `justAdded` is `n`'s block when the caller has it (saves reading it back). */
export async function switchTip(p: ChainParts, n: BlockNode, justAdded?: MinorBlock): Promise<void> {
  const { removed, added } = p.tree.setTip(n);
  const state = await p.states.of(n);
  const getNonce = (s: Bytes): number => state.get(s).nonce;
  // Hash keys are kept with each transfer (core/transaction.ts): a block of this node's own
  // transfers costs no new key here.
  const addedKeys: string[] = [];
  for (const b of added) {
    const blk = b === n && justAdded ? justAdded : await p.store.block(b.hash);
    for (const tx of blk?.txs ?? []) addedKeys.push(txHashKey(tx));
  }
  if (removed.length) {
    const inNew = new Set(addedKeys);
    const back: PoolTx[] = [];
    for (const b of removed) {
      const blk = await p.store.block(b.hash);
      for (const tx of blk?.txs ?? []) {
        const h = txHash(tx);
        if (!inNew.has(txHashKey(tx))) back.push({ tx, hash: h, sender: p.senders.of(tx) });
      }
    }
    p.pool.requeue(back, getNonce);
  }
  p.pool.removeIncludedKeys(addedKeys, getNonce);
}

/** After a root tip change: jump to the confirmed block, rewind off-chain references, re-evaluate descendants. */
export async function onRootTipChange(p: ChainParts): Promise<boolean> {
  const confirmed = confirmedTip(p);
  let t = p.tree.tip;
  if (!p.tree.isAncestor(confirmed, t)) t = confirmed;
  while (!rootRefOk(p, t)) t = t.parent!;
  let best = t;
  for (const d of p.tree.descendants(confirmed)) if (rootRefOk(p, d) && better(p, d, best)) best = d;
  if (best === p.tree.tip) return false;
  await p.store.batch([ShardStore.putMeta('tip', best.hash)]);
  await switchTip(p, best);
  return true;
}
