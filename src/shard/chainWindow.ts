/** Canonical blocks created in a time window (stress measurement): from the tip down the tree, then through the pruned history. */
import type { HistoryEntry } from './blockHistory.js';
import type { ChainWindow } from './protocol.js';
import type { ShardChain } from './shardChain.js';

/** Canonical blocks with createTime in [t0, t1). */
export function chainWindow(chain: ShardChain, t0: number, t1: number): ChainWindow {
  let blocks = 0;
  let txs = 0;
  let gasUsed = 0;
  let newer: HistoryEntry | undefined;
  for (const b of chain.canonicalBackwards()) {
    if (newer && newer.createTime < t1) {
      blocks++;
      txs += newer.txsCum - b.txsCum;
      gasUsed += newer.gasUsed;
    }
    if (b.createTime < t0) break;
    newer = b;
  }
  return { blocks, txs, gasUsed, gasLimit: blocks * chain.config.gasLimit };
}
