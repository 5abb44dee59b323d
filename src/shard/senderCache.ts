/** Recovered transaction senders by tx hash, so a signature is recovered once per transaction. */
import type { Bytes } from '../core/bytes.js';
import { txHashKey, type Transaction } from '../core/transaction.js';
import { recoverSender } from '../crypto/keys.js';
import { lruSet } from '../core/lru.js';

/** Senders kept: more than a full pool plus a few blocks, so a pooled tx is not recovered twice. */
const SENDER_CACHE_SIZE = 50_000;

export class SenderCache {
  private readonly senders = new Map<string, Bytes>();

  /** The 20-byte recipient that signed `tx` (keyed by its tx hash, whose key the transfer caches). */
  of(tx: Transaction): Bytes {
    const k = txHashKey(tx);
    let s = this.senders.get(k);
    if (!s) {
      s = recoverSender(tx);
      lruSet(this.senders, k, s, SENDER_CACHE_SIZE);
    }
    return s;
  }
}
