/**
 * Transaction admission: the shared stateless rules (consensus/txRules.ts, the same codes a
 * block gives), the sender's balance at the tip, then the pool's own nonce bookkeeping.
 */
import type { Bytes } from '../core/bytes.js';
import { invalid } from '../core/errors.js';
import { txHash, type Transaction } from '../core/transaction.js';
import { checkBalance, checkTxStateless } from '../consensus/txRules.js';
import type { ChainParts } from './chainParts.js';

/**
 * Validates a transaction against the tip state and adds it to the pool; returns its hash. The
 * balance must cover this transfer together with the sender's others in the pool. `local`: this
 * node's own load (exempt from the pool's per-account and queue limits, shard/poolLimits.ts).
 */
export async function admitTx(p: ChainParts, tx: Transaction, local = false): Promise<Bytes> {
  const hash = txHash(tx);
  if (p.pool.has(hash)) throw invalid('TX_DUPLICATE', 'transaction already in the pool');
  checkTxStateless(tx, p.admission);
  const sender = p.senders.of(tx, hash);
  const acct = (await p.states.of(p.tree.tip)).get(sender);
  const cost = checkBalance(acct, tx);
  const others = p.pool.costOf(sender, tx.nonce);
  if (others > 0n && acct.balance < others + cost) {
    throw invalid('TX_INSUFFICIENT_BALANCE', `balance ${acct.balance} < ${cost} for this transfer + ${others} for the sender's other transfers in the pool`);
  }
  p.pool.add({ tx, hash, sender }, acct.nonce, { local, nowSec: Math.floor(Date.now() / 1000) });
  return hash;
}
