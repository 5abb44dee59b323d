/**
 * Transaction admission: the shared stateless rules (consensus/txRules.ts, the same codes a
 * block gives), the sender's balance at the tip, then the pool's own nonce bookkeeping.
 * Synchronous over a given tip state, so a batch is admitted without an await per transfer.
 */
import { equalBytes, keyOf, type Bytes } from '../core/bytes.js';
import { invalid } from '../core/errors.js';
import { peekTxCache, txHash, txHashKey, type Transaction } from '../core/transaction.js';
import type { Account, AccountTrie } from '../consensus/accountTrie.js';
import { checkBalance, checkTxStateless } from '../consensus/txRules.js';
import { recoverSender } from '../crypto/keys.js';
import type { ChainParts } from './chainParts.js';

/** Distinct senders remembered for sharing before the table starts over (a bound, not a cache policy). */
const SENDERS_MAX = 65_536;
/**
 * One 20-byte array and one key string per sender, shared by all its pooled transfers (shared:
 * never mutated): a pooled transfer then keeps no sender bytes or key of its own, and the pool's
 * maps see a key whose hash V8 has computed already. Found by a number made of the sender's
 * last four bytes and compared in full, so a known sender costs no key string; a sender whose
 * number is taken by another is not shared (correct, just not compact).
 */
const senders = new Map<number, { readonly bytes: Bytes; readonly key: string }>();

/** The shared sender bytes and key for `sender` (recovered from `tx`, whose cache then holds the shared bytes). */
function sharedSender(tx: Transaction, sender: Bytes): { readonly bytes: Bytes; readonly key: string } {
  const n = sender.length;
  const id = n < 4 ? -1 : ((sender[n - 4]! << 24) | (sender[n - 3]! << 16) | (sender[n - 2]! << 8) | sender[n - 1]!) >>> 0;
  const s = senders.get(id);
  if (s !== undefined && equalBytes(s.bytes, sender)) {
    const c = peekTxCache(tx);
    if (c !== undefined && c.sender === sender) c.sender = s.bytes;
    return s;
  }
  const fresh = { bytes: sender, key: keyOf(sender) };
  if (s === undefined) {
    if (senders.size >= SENDERS_MAX) senders.clear();
    senders.set(id, fresh);
  }
  return fresh;
}

/** The last tip state admitted against and its senders' accounts (a trie never changes, so they stay right). */
let memoTip: AccountTrie | null = null;
const memoAccounts = new Map<string, Account>();

/** `tip.get(sender)` through the memo: a sender with several transfers per block walks the trie once. */
function accountAt(tip: AccountTrie, sender: Bytes, senderKey: string): Account {
  if (tip !== memoTip || memoAccounts.size >= SENDERS_MAX) {
    memoTip = tip;
    memoAccounts.clear();
  }
  let a = memoAccounts.get(senderKey);
  if (a === undefined) {
    a = tip.get(sender);
    memoAccounts.set(senderKey, a);
  }
  return a;
}

/**
 * Validates a transaction against the tip state `tip` and adds it to the pool; returns its hash.
 * The balance must cover this transfer together with the sender's others in the pool. `local`:
 * this node's own load (exempt from the pool's per-account and queue limits, shard/poolLimits.ts).
 */
export function admitTxSync(p: ChainParts, tx: Transaction, tip: AccountTrie, local: boolean, nowSec: number): Bytes {
  const hash = txHash(tx);
  const hashKey = txHashKey(tx);
  if (p.pool.hasKey(hashKey)) throw invalid('TX_DUPLICATE', 'transaction already in the pool');
  checkTxStateless(tx, p.admission);
  // Memoised on the transaction object (crypto/keys.ts); the block that includes it finds the
  // sender in the pool, so admission does not fill the by-hash sender cache.
  const shared = sharedSender(tx, recoverSender(tx));
  const sender = shared.bytes;
  const senderKey = shared.key;
  const acct = accountAt(tip, sender, senderKey);
  const cost = checkBalance(acct, tx);
  const others = p.pool.costOfKey(senderKey, tx.nonce);
  if (others > 0n && acct.balance < others + cost) {
    throw invalid('TX_INSUFFICIENT_BALANCE', `balance ${acct.balance} < ${cost} for this transfer + ${others} for the sender's other transfers in the pool`);
  }
  p.pool.add({ tx, hash, sender, hashKey, senderKey, cost }, acct.nonce, { local, nowSec });
  return hash;
}

export async function admitTx(p: ChainParts, tx: Transaction, local = false): Promise<Bytes> {
  return admitTxSync(p, tx, await p.states.of(p.tree.tip), local, Math.floor(Date.now() / 1000));
}
