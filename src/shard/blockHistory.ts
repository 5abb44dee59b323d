/**
 * A compact record of the canonical blocks a pruning chain has forgotten (BlockTree.pruneBelow):
 * per block its height, creation time, cumulative transaction count and gas used, 32 bytes in a
 * ring. Those blocks are below the root-confirmed anchor, so they never leave the canonical
 * chain; windowed statistics (the stress report's TPS) can still reach back past the tree's floor.
 */

/** Blocks remembered: 18 hours of 1 s blocks in 2 MiB; older ones are overwritten. */
const HISTORY_CAPACITY = 65_536;
/** Fields per block: height, createTime, cumulative txs, gasUsed. */
const FIELDS = 4;

export interface HistoryEntry {
  readonly height: number;
  readonly createTime: number;
  /** Transactions in this block and every one before it. */
  readonly txsCum: number;
  readonly gasUsed: number;
}

export class BlockHistory {
  private readonly data: Float64Array;
  private count = 0;
  private next = 0;

  constructor(private readonly capacity = HISTORY_CAPACITY) {
    this.data = new Float64Array(capacity * FIELDS);
  }

  /** Appends a block; heights must increase by one (a gap resets the record). */
  push(e: HistoryEntry): void {
    const last = this.newest();
    if (last && e.height !== last.height + 1) this.count = 0;
    const o = this.next * FIELDS;
    this.data[o] = e.height;
    this.data[o + 1] = e.createTime;
    this.data[o + 2] = e.txsCum;
    this.data[o + 3] = e.gasUsed;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  get size(): number {
    return this.count;
  }

  newest(): HistoryEntry | undefined {
    return this.count ? this.at(0) : undefined;
  }

  /** Newest first. */
  *backwards(): IterableIterator<HistoryEntry> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /** The `i`-th newest entry. */
  private at(i: number): HistoryEntry {
    const o = ((this.next - 1 - i + this.capacity) % this.capacity) * FIELDS;
    return { height: this.data[o]!, createTime: this.data[o + 1]!, txsCum: this.data[o + 2]!, gasUsed: this.data[o + 3]! };
  }
}
