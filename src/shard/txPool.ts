/**
 * The transaction pool (DESIGN §5): pure bookkeeping. Signatures, balances and the network are
 * checked by the caller, which also passes the recovered sender and account nonces.
 *
 * - Per sender, txs sit in a Map by nonce; `select` runs a heap over each sender's next-nonce
 *   head (highest gas price first, FIFO on ties), so a block costs O(senders + picked · log senders).
 * - A full pool evicts the cheapest tx that is the highest-nonce tx of its sender (evicting any
 *   other would leave a gap), found through a lazily cleaned min-heap of sender tails.
 * - Per sender the pool keeps its account nonce as last told (`base`), the run of executable
 *   nonces from it (`run`), and the summed upfront cost of its transfers; the limits of
 *   poolLimits.ts apply to non-local transfers at `add`.
 */
import { keyOf } from '../core/bytes.js';
import { ChainError, internal, invalid } from '../core/errors.js';
import { BinaryHeap } from './binaryHeap.js';
import { evictFirst, includeFirst, nearestNonce, nonceOf, upfront, type AddOptions, type Entry, type PoolTx, type SelectOptions, type SenderTxs } from './poolEntries.js';
import { ACCOUNT_PENDING, ACCOUNT_QUEUE, EXPIRY_SCAN_SEC, GLOBAL_QUEUE, MAX_NONCE_GAP, PRICE_BUMP_PERCENT, QUEUED_LIFETIME_SEC } from './poolLimits.js';

export { upfront, type AddOptions, type PoolTx, type SelectOptions } from './poolEntries.js';

/** Stale entries allowed in the eviction heap beyond twice the pool size before it is rebuilt. */
const EVICT_HEAP_SLACK = 1024;
/** The eviction heap is dropped once the pool falls below this share of its size (and rebuilt when it fills again). */
const EVICT_HEAP_FROM = 0.5;

export class TxPool {
  private readonly maxSize: number;
  private readonly byHash = new Map<string, Entry>();
  private readonly bySender = new Map<string, SenderTxs>();
  /**
   * Sender tails, cheapest first; entries that stopped being tails are dropped when met. Kept
   * only while the pool is near full (built from the tails when it gets there): below that, an
   * insert costs no heap push.
   */
  private evictHeap: BinaryHeap<Entry> | null = null;
  private seq = 0;
  /** Executable and future transfers in the whole pool. */
  private pendingTotal = 0;
  private queuedTotal = 0;
  private nextExpiryScan = 0;

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

  /** `has` by `keyOf(hash)`. */
  hasKey(hashKey: string): boolean {
    return this.byHash.has(hashKey);
  }

  get(hash: Uint8Array): PoolTx | undefined {
    return this.getKey(keyOf(hash));
  }

  /** `get` by `keyOf(hash)`. */
  getKey(hashKey: string): PoolTx | undefined {
    return this.byHash.get(hashKey)?.p;
  }

  /** Executable and future transfers. */
  get counts(): { readonly pending: number; readonly queued: number } {
    return { pending: this.pendingTotal, queued: this.queuedTotal };
  }

  /** What the sender of key `senderKey` (`keyOf(sender)`) has here committed to pay, without the one of nonce `except` (a replacement). */
  costOfKey(senderKey: string, except?: number): bigint {
    const s = this.bySender.get(senderKey);
    if (!s) return 0n;
    const old = except === undefined ? undefined : s.txs.get(except);
    return old ? s.cost - old.cost : s.cost;
  }

  /** The next nonce after the sender's consecutive pooled transfers from `accountNonce` (the "pending" nonce). */
  pendingNonce(sender: Uint8Array, accountNonce: number): number {
    const s = this.bySender.get(keyOf(sender));
    if (!s) return accountNonce;
    this.rebase(s, accountNonce);
    return s.base + s.run;
  }

  add(p: PoolTx, accountNonce: number, o: AddOptions = {}): void {
    const hashKey = p.hashKey ?? keyOf(p.hash);
    const nonce = p.tx.nonce;
    if (this.byHash.has(hashKey)) throw invalid('TX_DUPLICATE', 'transaction already in the pool');
    if (nonce < accountNonce) throw invalid('TX_NONCE_TOO_LOW', `nonce ${nonce} < account nonce ${accountNonce}`);
    const senderKey = p.senderKey ?? keyOf(p.sender);
    const s = this.bySender.get(senderKey);
    if (s) this.rebase(s, accountNonce);
    const old = s?.txs.get(nonce);
    if (old !== undefined) {
      const min = (old.p.tx.gasPrice * (100n + PRICE_BUMP_PERCENT) + 99n) / 100n;
      if (p.tx.gasPrice < min) throw invalid('TX_NONCE_EXISTS', `nonce ${nonce} is taken at gas price ${old.p.tx.gasPrice}: a replacement needs ≥ ${min} (+${PRICE_BUMP_PERCENT} %)`);
      this.remove(old);
    } else {
      if (!o.local) this.checkLimits(s, nonce, accountNonce);
      if (this.byHash.size >= this.maxSize) this.makeRoom(p, senderKey);
    }
    this.insert(p, hashKey, senderKey, accountNonce, o.nowSec ?? 0);
  }

  /** At most every EXPIRY_SCAN_SEC: removes future transfers older than QUEUED_LIFETIME_SEC; returns how many. */
  expireQueued(nowSec: number, getNonce: (sender: Uint8Array) => number): number {
    if (nowSec < this.nextExpiryScan) return 0;
    this.nextExpiryScan = nowSec + EXPIRY_SCAN_SEC;
    const beforeSec = nowSec - QUEUED_LIFETIME_SEC;
    let n = 0;
    for (const s of [...this.bySender.values()]) {
      this.rebase(s, getNonce(s.sender));
      for (const e of [...s.txs.values()]) {
        if (nonceOf(e) >= s.base + s.run && e.atSec < beforeSec) { this.remove(e); n++; }
      }
    }
    return n;
  }

  private checkLimits(s: SenderTxs | undefined, nonce: number, accountNonce: number): void {
    const next = s ? s.base + s.run : accountNonce;
    if (nonce > next + MAX_NONCE_GAP) throw invalid('TX_NONCE_TOO_FAR', `nonce ${nonce} is more than ${MAX_NONCE_GAP} past the sender's next nonce ${next}`);
    if (nonce === next) {
      if ((s?.run ?? 0) >= ACCOUNT_PENDING) throw invalid('TX_ACCOUNT_PENDING_FULL', `the sender has ${ACCOUNT_PENDING} executable transfers in the pool already`);
      return;
    }
    const queued = s ? s.txs.size - s.run : 0;
    if (queued >= ACCOUNT_QUEUE) throw invalid('TX_ACCOUNT_QUEUE_FULL', `the sender has ${ACCOUNT_QUEUE} future transfers (nonce gap after ${next - 1}) in the pool already`);
    if (this.queuedTotal >= GLOBAL_QUEUE) throw invalid('TX_QUEUE_FULL', `the pool holds ${GLOBAL_QUEUE} future transfers already`);
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
    this.removeIncludedKeys([...hashes].map(keyOf), getNonce);
  }

  /** `removeIncluded` by `keyOf(hash)`. */
  removeIncludedKeys(hashKeys: Iterable<string>, getNonce: (sender: Uint8Array) => number): void {
    for (const k of hashKeys) {
      const e = this.byHash.get(k);
      if (e !== undefined) this.remove(e);
    }
    for (const s of [...this.bySender.values()]) {
      const n = getNonce(s.sender);
      if (s.minNonce < n) for (const e of [...s.txs.values()]) if (nonceOf(e) < n) this.remove(e);
      if (this.bySender.get(s.key) === s) this.rebase(s, n);
    }
  }

  /** Txs of blocks that left the canonical chain come back, under the usual rules (rejections are dropped). */
  requeue(txs: PoolTx[], getNonce: (sender: Uint8Array) => number): void {
    for (const p of txs) {
      try {
        this.add(p, getNonce(p.sender), { local: true });
      } catch (e) {
        if (!(e instanceof ChainError) || e.cls !== 'invalid') throw e;
      }
    }
  }

  /** Records `base` as the sender's account nonce and recounts its executable run. */
  private rebase(s: SenderTxs, base: number): void {
    if (s.base === base) return;
    const run = s.run;
    const size = s.txs.size;
    s.base = base;
    s.run = 0;
    while (s.txs.has(base + s.run)) s.run++;
    this.recounted(s, run, size);
  }

  /** After a change to `s` (its run and size were `run` and `size`): keeps the pool's executable and future totals in step. */
  private recounted(s: SenderTxs, run: number, size: number): void {
    this.pendingTotal += s.run - run;
    this.queuedTotal += (s.txs.size - s.run) - (size - run);
  }

  private insert(p: PoolTx, hashKey: string, senderKey: string, base: number, atSec: number): void {
    const nonce = p.tx.nonce;
    let s = this.bySender.get(senderKey);
    if (s === undefined) {
      s = { sender: Uint8Array.from(p.sender), key: senderKey, txs: new Map(), minNonce: nonce, maxNonce: nonce, base, run: 0, cost: 0n };
      this.bySender.set(senderKey, s);
    }
    const e: Entry = { p, hashKey, owner: s, seq: this.seq++, atSec, cost: p.cost ?? upfront(p.tx) };
    const run = s.run;
    const size = s.txs.size;
    s.txs.set(nonce, e);
    if (nonce === s.base + s.run) while (s.txs.has(s.base + s.run)) s.run++;
    this.recounted(s, run, size);
    s.cost += e.cost;
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
    const run = s.run;
    const size = s.txs.size;
    s.txs.delete(nonce);
    if (nonce >= s.base && nonce < s.base + s.run) s.run = nonce - s.base;
    this.recounted(s, run, size);
    s.cost -= e.cost;
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
    if (this.evictHeap === null) return;
    if (this.byHash.size < this.maxSize * EVICT_HEAP_FROM) {
      this.evictHeap = null;
      return;
    }
    this.evictHeap.push(e);
    if (this.evictHeap.size > 2 * this.byHash.size + EVICT_HEAP_SLACK) this.evictHeap = this.tailHeap();
  }

  private tailHeap(): BinaryHeap<Entry> {
    return new BinaryHeap(evictFirst, [...this.bySender.values()].map((s) => s.txs.get(s.maxNonce)!));
  }

  /** Evicts the cheapest sender tail if `p` outbids it, else throws TX_POOL_FULL. */
  private makeRoom(p: PoolTx, senderKey: string): void {
    const heap = (this.evictHeap ??= this.tailHeap());
    let victim = heap.peek();
    while (victim !== undefined && !this.isTail(victim)) {
      heap.pop();
      victim = heap.peek();
    }
    // Evicting the tail of p's own sender below p's nonce would strand p behind a gap.
    const strands = victim !== undefined && victim.owner.key === senderKey && nonceOf(victim) < p.tx.nonce;
    if (victim === undefined || victim.p.tx.gasPrice >= p.tx.gasPrice || strands) {
      throw invalid('TX_POOL_FULL', `pool holds ${this.byHash.size} txs and gas price ${p.tx.gasPrice} does not outbid the cheapest`);
    }
    heap.pop();
    this.remove(victim);
  }
}
