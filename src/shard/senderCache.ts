/** Recovered transaction senders by tx hash, so a signature is recovered once per transaction. */
import { keyOf, type Bytes } from '../core/bytes.js';
import type { Transaction } from '../core/transaction.js';
import { recoverSender } from '../crypto/keys.js';
import { lruSet } from './lru.js';

/** Senders kept: more than a full pool plus a few blocks, so a pooled tx is not recovered twice. */
const SENDER_CACHE_SIZE = 50_000;

export class SenderCache {
  private readonly senders = new Map<string, Bytes>();

  /** The 20-byte recipient that signed `tx` (`hash` is its tx hash). */
  of(tx: Transaction, hash: Bytes): Bytes {
    const k = keyOf(hash);
    let s = this.senders.get(k);
    if (!s) {
      s = recoverSender(tx);
      lruSet(this.senders, k, s, SENDER_CACHE_SIZE);
    }
    return s;
  }
}
