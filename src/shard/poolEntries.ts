/** The pool's entries and orderings (shard/txPool.ts): per-transfer and per-sender records, and the comparisons its heaps use. */
import type { Transaction } from '../core/transaction.js';

export interface PoolTx {
  readonly tx: Transaction;
  readonly hash: Uint8Array;
  /** The 20-byte recipient recovered from the signature. */
  readonly sender: Uint8Array;
  /** `keyOf(hash)` and `keyOf(sender)` when the caller has them already (admission computes each once). */
  readonly hashKey?: string;
  readonly senderKey?: string;
  /** `upfront(tx)` when the caller computed it (admission's balance check does). */
  readonly cost?: bigint;
}

export interface SelectOptions {
  getNonce: (sender: Uint8Array) => number;
  gasBudget: number;
  gasCost: (tx: Transaction) => number;
  maxCount?: number;
}

export interface SenderTxs {
  readonly sender: Uint8Array;
  readonly key: string;
  readonly txs: Map<number, Entry>;
  minNonce: number;
  maxNonce: number;
  /** The account nonce as last told (at `add`, or after a block). */
  base: number;
  /** Executable transfers: nonces base, base + 1, … present without a gap. */
  run: number;
  /** Σ value + gasLimit · gasPrice of its transfers here (the balance must cover them together). */
  cost: bigint;
}

export interface AddOptions {
  /** This node's own transfer: exempt from the per-account, queue and gap limits. */
  readonly local?: boolean;
  /** Admission time (seconds), for the expiry of future transfers. */
  readonly nowSec?: number;
}

export interface Entry {
  readonly p: PoolTx;
  readonly hashKey: string;
  readonly owner: SenderTxs;
  /** Arrival order: FIFO among equal gas prices. */
  readonly seq: number;
  readonly atSec: number;
  /** `upfront(p.tx)`, computed once. */
  readonly cost: bigint;
}

/** What a transfer commits its sender to pay at most: value + gasLimit · gasPrice. */
export const upfront = (tx: Transaction): bigint => tx.value + BigInt(tx.gasLimit) * tx.gasPrice;

export const nonceOf = (e: Entry): number => e.p.tx.nonce;
export const includeFirst = (a: Entry, b: Entry): boolean =>
  a.p.tx.gasPrice > b.p.tx.gasPrice || (a.p.tx.gasPrice === b.p.tx.gasPrice && a.seq < b.seq);
export const evictFirst = (a: Entry, b: Entry): boolean =>
  a.p.tx.gasPrice < b.p.tx.gasPrice || (a.p.tx.gasPrice === b.p.tx.gasPrice && a.seq > b.seq);

/** The present nonce nearest `from` in direction `step`, walking when nonces are dense, else scanning. */
export function nearestNonce(txs: Map<number, Entry>, from: number, to: number, step: 1 | -1): number {
  if (Math.abs(to - from) <= 2 * txs.size) {
    for (let n = from; ; n += step) if (txs.has(n)) return n;
  }
  let best = step === 1 ? Infinity : -Infinity;
  for (const n of txs.keys()) best = step === 1 ? Math.min(best, n) : Math.max(best, n);
  return best;
}
