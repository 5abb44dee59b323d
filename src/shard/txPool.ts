/**
 * The transaction pool (DESIGN §5): pure bookkeeping. Signatures, balances and the network are
 * checked by the caller, which also passes the recovered sender and account nonces.
 *
 * - Per sender, txs sit in a Map by nonce; `select` runs a heap over each sender's next-nonce
 *   head (highest gas price first, FIFO on ties), so a block costs O(senders + picked · log senders).
 * - A full pool evicts the cheapest tx that is the highest-nonce tx of its sender (evicting any
 *   other would leave a gap), found through a lazily cleaned min-heap of sender tails.
 */
import { keyOf } from '../core/bytes.js';
import { ChainError, internal, invalid } from '../core/errors.js';
import type { Transaction } from '../core/transaction.js';
import { BinaryHeap } from './binaryHeap.js';

export interface PoolTx {
  readonly tx: Transaction;
  readonly hash: Uint8Array;
  /** The 20-byte recipient recovered from the signature. */
  readonly sender: Uint8Array;
}

export interface SelectOptions {
  getNonce: (sender: Uint8Array) => number;
  gasBudget: number;
  gasCost: (tx: Transaction) => number;
  maxCount?: number;
}

/** Stale entries allowed in the eviction heap beyond twice the pool size before it is rebuilt. */
const EVICT_HEAP_SLACK = 1024;

interface SenderTxs {
  readonly sender: Uint8Array;
  readonly key: string;
  readonly txs: Map<number, Entry>;
  minNonce: number;
  maxNonce: number;
}

interface Entry {
  readonly p: PoolTx;
  readonly hashKey: string;
  readonly owner: SenderTxs;
  /** Arrival order: FIFO among equal gas prices. */
  readonly seq: number;
}

const nonceOf = (e: Entry): number => e.p.tx.nonce;
const includeFirst = (a: Entry, b: Entry): boolean =>
  a.p.tx.gasPrice > b.p.tx.gasPrice || (a.p.tx.gasPrice === b.p.tx.gasPrice && a.seq < b.seq);
const evictFirst = (a: Entry, b: Entry): boolean =>
  a.p.tx.gasPrice < b.p.tx.gasPrice || (a.p.tx.gasPrice === b.p.tx.gasPrice && a.seq > b.seq);

/** The present nonce nearest `from` in direction `step`, walking when nonces are dense, else scanning. */
function nearestNonce(txs: Map<number, Entry>, from: number, to: number, step: 1 | -1): number {
  if (Math.abs(to - from) <= 2 * txs.size) {
    for (let n = from; ; n += step) if (txs.has(n)) return n;
  }
  let best = step === 1 ? Infinity : -Infinity;
  for (const n of txs.keys()) best = step === 1 ? Math.min(best, n) : Math.max(best, n);
  return best;
}

export class TxPool {
  private readonly maxSize: number;
  private readonly byHash = new Map<string, Entry>();
  private readonly bySender = new Map<string, SenderTxs>();
  /** Sender tails, cheapest first; entries that stopped being tails are dropped when met. */
  private evictHeap = new BinaryHeap<Entry>(evictFirst);
  private seq = 0;

  constructor(opts: { maxSize: number }) {
    if (!Number.isSafeInteger(opts.maxSize) || opts.maxSize < 0) throw internal('BAD_POOL_SIZE', `bad pool size ${opts.maxSize}`);
    this.maxSize = opts.maxSize;
  }

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Uint8Array): boolean {
    return this.byHash.has(keyOf(hash));
  }

  get(hash: Uint8Array): PoolTx | undefined {
    return this.byHash.get(keyOf(hash))?.p;
  }

  /** The next nonce after the sender's consecutive pooled transactions from `accountNonce` (the "pending" nonce). */
  pendingNonce(sender: Uint8Array, accountNonce: number): number {
    const s = this.bySender.get(keyOf(sender));
    let n = accountNonce;
    while (s?.txs.has(n)) n++;
    return n;
  }

  add(p: PoolTx, accountNonce: number): void {
    const hashKey = keyOf(p.hash);
    const nonce = p.tx.nonce;
    if (this.byHash.has(hashKey)) throw invalid('TX_DUPLICATE', 'transaction already in the pool');
    if (nonce < accountNonce) throw invalid('TX_NONCE_TOO_LOW', `nonce ${nonce} < account nonce ${accountNonce}`);
    const senderKey = keyOf(p.sender);
    const old = this.bySender.get(senderKey)?.txs.get(nonce);
    if (old !== undefined) {
      if (old.p.tx.gasPrice >= p.tx.gasPrice) throw invalid('TX_NONCE_EXISTS', `sender already has nonce ${nonce} at gas price ≥ ${p.tx.gasPrice}`);
      this.remove(old);
    } else if (this.byHash.size >= this.maxSize) {
      this.makeRoom(p, senderKey);
    }
    this.insert(p, hashKey, senderKey);
  }

  /**
   * Txs for a block, best gas price first (FIFO on ties), each sender's in nonce order from
   * `getNonce(sender)`, a sender stopping at a gap. A tx whose `gasCost` exceeds the remaining
   * budget is skipped together with the rest of its sender's txs (they need its nonce) and
   * selection goes on with other senders, so one oversized tx cannot starve every block.
   */
  select(opts: SelectOptions): PoolTx[] {
    const heads: Entry[] = [];
    for (const s of this.bySender.values()) {
      const e = s.txs.get(opts.getNonce(s.sender));
      if (e !== undefined) heads.push(e);
    }
    const heap = new BinaryHeap(includeFirst, heads);
    const maxCount = opts.maxCount ?? Infinity;
    const out: PoolTx[] = [];
    let gasLeft = opts.gasBudget;
    while (out.length < maxCount) {
      const e = heap.pop();
      if (e === undefined) break;
      const cost = opts.gasCost(e.p.tx);
      if (cost > gasLeft) continue;
      gasLeft -= cost;
      out.push(e.p);
      const next = e.owner.txs.get(nonceOf(e) + 1);
      if (next !== undefined) heap.push(next);
    }
    return out;
  }

  /** After a block: drops txs by hash and every tx whose nonce is below its sender's new nonce. */
  removeIncluded(hashes: Iterable<Uint8Array>, getNonce: (sender: Uint8Array) => number): void {
    for (const h of hashes) {
      const e = this.byHash.get(keyOf(h));
      if (e !== undefined) this.remove(e);
    }
    for (const s of [...this.bySender.values()]) {
      const n = getNonce(s.sender);
      if (s.minNonce >= n) continue;
      for (const e of [...s.txs.values()]) if (nonceOf(e) < n) this.remove(e);
    }
  }

  /** Txs of blocks that left the canonical chain come back, under the usual rules (rejections are dropped). */
  requeue(txs: PoolTx[], getNonce: (sender: Uint8Array) => number): void {
    for (const p of txs) {
      try {
        this.add(p, getNonce(p.sender));
      } catch (e) {
        if (!(e instanceof ChainError) || e.cls !== 'invalid') throw e;
      }
    }
  }

  private insert(p: PoolTx, hashKey: string, senderKey: string): void {
    const nonce = p.tx.nonce;
    let s = this.bySender.get(senderKey);
    if (s === undefined) {
      s = { sender: Uint8Array.from(p.sender), key: senderKey, txs: new Map(), minNonce: nonce, maxNonce: nonce };
      this.bySender.set(senderKey, s);
    }
    const e: Entry = { p, hashKey, owner: s, seq: this.seq++ };
    s.txs.set(nonce, e);
    this.byHash.set(hashKey, e);
    s.minNonce = Math.min(s.minNonce, nonce);
    if (nonce >= s.maxNonce) {
      s.maxNonce = nonce;
      this.pushTail(e);
    }
  }

  private remove(e: Entry): void {
    const s = e.owner;
    const nonce = nonceOf(e);
    this.byHash.delete(e.hashKey);
    s.txs.delete(nonce);
    if (s.txs.size === 0) {
      this.bySender.delete(s.key);
      return;
    }
    if (nonce === s.minNonce) s.minNonce = nearestNonce(s.txs, nonce + 1, s.maxNonce, 1);
    if (nonce === s.maxNonce) {
      s.maxNonce = nearestNonce(s.txs, nonce - 1, s.minNonce, -1);
      this.pushTail(s.txs.get(s.maxNonce)!);
    }
  }

  private isTail(e: Entry): boolean {
    return this.byHash.get(e.hashKey) === e && e.owner.maxNonce === nonceOf(e);
  }

  private pushTail(e: Entry): void {
    this.evictHeap.push(e);
    if (this.evictHeap.size > 2 * this.byHash.size + EVICT_HEAP_SLACK) {
      const tails = [...this.bySender.values()].map((s) => s.txs.get(s.maxNonce)!);
      this.evictHeap = new BinaryHeap(evictFirst, tails);
    }
  }

  /** Evicts the cheapest sender tail if `p` outbids it, else throws TX_POOL_FULL. */
  private makeRoom(p: PoolTx, senderKey: string): void {
    let victim = this.evictHeap.peek();
    while (victim !== undefined && !this.isTail(victim)) {
      this.evictHeap.pop();
      victim = this.evictHeap.peek();
    }
    // Evicting the tail of p's own sender below p's nonce would strand p behind a gap.
    const strands = victim !== undefined && victim.owner.key === senderKey && nonceOf(victim) < p.tx.nonce;
    if (victim === undefined || victim.p.tx.gasPrice >= p.tx.gasPrice || strands) {
      throw invalid('TX_POOL_FULL', `pool holds ${this.byHash.size} txs and gas price ${p.tx.gasPrice} does not outbid the cheapest`);
    }
    this.evictHeap.pop();
    this.remove(victim);
  }
}
