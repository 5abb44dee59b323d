/**
 * The in-memory tree of one shard's stored blocks (headers and metas only): parent links,
 * children, the canonical chain by height and ancestry queries.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { minorHeaderHash, type MinorHeader, type MinorMeta } from '../core/minorBlock.js';
import { ZERO_STATS, type BlockStats } from '../consensus/conservation.js';

export interface BlockNode {
  readonly header: MinorHeader;
  readonly meta: MinorMeta;
  readonly hash: Bytes;
  readonly key: string;
  readonly parent: BlockNode | null;
  committed: boolean;
  /** Cumulative totals up to this block (conservation); set when stored or loaded. */
  stats: BlockStats;
}

export class BlockTree {
  private readonly nodes = new Map<string, BlockNode>();
  private readonly children = new Map<string, BlockNode[]>();
  /** Index = height; undefined below a pruning floor. */
  private canonical: (BlockNode | undefined)[] = [];
  /** Stored blocks per height (canonical or not): QuarkChain's stale-block count. */
  private readonly perHeight: number[] = [1];

  constructor(genesisHeader: MinorHeader, genesisMeta: MinorMeta) {
    const hash = minorHeaderHash(genesisHeader);
    const g: BlockNode = { header: genesisHeader, meta: genesisMeta, hash, key: keyOf(hash), parent: null, committed: true, stats: ZERO_STATS };
    this.nodes.set(g.key, g);
    this.canonical = [g];
  }

  /** The genesis block (undefined once pruned: only read while opening). */
  get genesis(): BlockNode {
    return this.canonical[0]!;
  }

  get tip(): BlockNode {
    return this.canonical[this.canonical.length - 1]!;
  }

  get size(): number {
    return this.nodes.size;
  }

  get(hash: Bytes): BlockNode | undefined {
    return this.nodes.get(keyOf(hash));
  }

  getByKey(key: string): BlockNode | undefined {
    return this.nodes.get(key);
  }

  canonicalAt(height: number): BlockNode | undefined {
    return this.canonical[height];
  }

  /** How many stored blocks have `height`. */
  countAt(height: number): number {
    return this.perHeight[height] ?? 0;
  }

  /** Adds a node whose parent is in the tree; returns it (or the existing one). */
  add(header: MinorHeader, meta: MinorMeta, stats: BlockStats, committed = false): BlockNode {
    const hash = minorHeaderHash(header);
    const existing = this.nodes.get(keyOf(hash));
    if (existing) return existing;
    const parent = this.get(header.hashPrevMinorBlock);
    if (!parent) throw new Error('BlockTree.add: parent missing');
    const n: BlockNode = { header, meta, hash, key: keyOf(hash), parent, committed, stats };
    this.nodes.set(n.key, n);
    this.perHeight[header.height] = (this.perHeight[header.height] ?? 0) + 1;
    const siblings = this.children.get(parent.key);
    if (siblings) siblings.push(n); else this.children.set(parent.key, [n]);
    return n;
  }

  childrenOf(n: BlockNode): readonly BlockNode[] {
    return this.children.get(n.key) ?? [];
  }

  ancestorAt(n: BlockNode, height: number): BlockNode | undefined {
    if (height < 0 || height > n.header.height) return undefined;
    if (this.canonical[n.header.height] === n) return this.canonical[height];
    let x: BlockNode | null = n;
    while (x && x.header.height > height) x = x.parent;
    return x ?? undefined;
  }

  /** True when `a` is an ancestor of or equal to `b`. */
  isAncestor(a: BlockNode, b: BlockNode): boolean {
    return this.ancestorAt(b, a.header.height) === a;
  }

  /**
   * Makes `n` the tip. Returns the blocks that left the canonical chain (old tip first) and
   * those that joined it (lowest first).
   */
  setTip(n: BlockNode): { removed: BlockNode[]; added: BlockNode[] } {
    const added: BlockNode[] = [];
    let x: BlockNode | null = n;
    while (x && this.canonical[x.header.height] !== x) { added.push(x); x = x.parent; }
    const forkHeight = x ? x.header.height : -1;
    const removed = this.canonical.slice(forkHeight + 1).filter((b): b is BlockNode => b !== undefined).reverse();
    this.canonical.length = forkHeight + 1;
    for (let i = added.length - 1; i >= 0; i--) this.canonical.push(added[i]!);
    return { removed, added: added.reverse() };
  }

  /** Every stored descendant of `n` (not `n` itself). */
  *descendants(n: BlockNode): IterableIterator<BlockNode> {
    const stack = [...this.childrenOf(n)];
    while (stack.length) {
      const x = stack.pop()!;
      yield x;
      stack.push(...this.childrenOf(x));
    }
  }

  /**
   * Forgets every block below canonical block `floor` (which becomes the oldest known block: its
   * parent link is cut) and every fork branching off below it. Long in-memory runs only: those
   * blocks can no longer be looked up or reorganised to. Returns the forgotten blocks (the caller
   * keeps what it still needs of the canonical ones: ShardChain's BlockHistory).
   */
  pruneBelow(floor: BlockNode): BlockNode[] {
    if (this.canonical[floor.header.height] !== floor) return [];
    const removed: BlockNode[] = [];
    const drop = (n: BlockNode, keep: BlockNode | undefined): void => {
      for (const c of this.childrenOf(n)) {
        if (c === keep) continue;
        for (const d of [c, ...this.descendants(c)]) { this.forget(d); removed.push(d); }
      }
      this.forget(n);
      removed.push(n);
    };
    for (let above = floor, x = floor.parent; x; above = x, x = x.parent) drop(x, above);
    (floor as { parent: BlockNode | null }).parent = null;
    return removed;
  }

  private forget(n: BlockNode): void {
    this.nodes.delete(n.key);
    this.children.delete(n.key);
    if (this.canonical[n.header.height] === n) this.canonical[n.header.height] = undefined;
  }

  all(): IterableIterator<BlockNode> {
    return this.nodes.values();
  }
}
