/**
 * Transaction admission: the shared stateless rules (consensus/txRules.ts, the same codes a
 * block gives), the sender's balance at the tip, then the pool's own nonce bookkeeping.
 * Synchronous over a given tip state, so a batch is admitted without an await per transfer.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { invalid } from '../core/errors.js';
import { txHash, txHashKey, type Transaction } from '../core/transaction.js';
import type { AccountTrie } from '../consensus/accountTrie.js';
import { checkBalance, checkTxStateless } from '../consensus/txRules.js';
import { recoverSender } from '../crypto/keys.js';
import type { ChainParts } from './chainParts.js';

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
  const sender = recoverSender(tx);
  const senderKey = keyOf(sender);
  const acct = tip.get(sender);
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
