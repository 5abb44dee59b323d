/**
 * Post-states of recent blocks in memory; any other block's state is rebuilt from the nearest
 * cached ancestor (or the pruning anchor) by replaying stored diffs.
 */
import { internal, invalid } from '../core/errors.js';
import { AccountTrie } from '../consensus/accountTrie.js';
import type { BlockNode } from './blockTree.js';
import { lruSet } from '../core/lru.js';
import type { ShardStore } from './shardStore.js';

/** Post-states kept in memory for recent blocks; older ones are rebuilt from stored diffs. */
const STATE_CACHE_SIZE = 64;
/**
 * The same for a pruning chain, whose pinned anchor bounds any rebuild to the retained window:
 * each post-state of a busy block is a near-full copy of the trie's paths (~1 MB at 1,000 accounts).
 */
const STATE_CACHE_SIZE_PRUNING = 8;

export class StateCache {
  private readonly states = new Map<string, AccountTrie>();
  private readonly size: number;
  /** State of the highest pruned block: the base every later state is rebuilt from. */
  private anchor: { readonly node: BlockNode; readonly trie: AccountTrie } | null = null;

  /** `retainBlocks`: the pruning window (undefined: the chain keeps every diff). */
  constructor(private readonly store: ShardStore, private readonly retainBlocks: number | undefined) {
    this.size = retainBlocks === undefined ? STATE_CACHE_SIZE : STATE_CACHE_SIZE_PRUNING;
  }

  set(n: BlockNode, trie: AccountTrie): void {
    lruSet(this.states, n.key, trie, this.size);
  }

  /** Pins `node`'s state before the diffs it is built from are deleted. */
  async pinAnchor(node: BlockNode): Promise<void> {
    this.anchor = { node, trie: await this.of(node) };
  }

  async of(n: BlockNode): Promise<AccountTrie> {
    const hit = this.states.get(n.key);
    if (hit) return hit;
    const path: BlockNode[] = [];
    let x: BlockNode | null = n;
    let base: AccountTrie | undefined;
    while (x && !(base = this.states.get(x.key) ?? (x === this.anchor?.node ? this.anchor.trie : undefined))) { path.push(x); x = x.parent; }
    if (!base) base = AccountTrie.empty();
    for (let i = path.length - 1; i >= 0; i--) {
      const diff = await this.store.diff(path[i]!.hash);
      if (!diff && this.retainBlocks !== undefined) throw invalid('STATE_PRUNED', `state at block ${path[i]!.header.height} is pruned (kept ${this.retainBlocks} blocks behind the confirmed tip)`);
      if (!diff) throw internal('DB_CORRUPT', `state diff of block ${path[i]!.header.height} is missing`);
      base = base.update(diff.map((c) => [c.recipient, c.account] as const));
    }
    this.set(n, base);
    return base;
  }
}
