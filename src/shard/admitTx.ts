/**
 * Transaction admission: the shared stateless rules (consensus/txRules.ts, the same codes a
 * block gives), the sender's balance at the tip, then the pool's own nonce bookkeeping.
 */
import type { Bytes } from '../core/bytes.js';
import { invalid } from '../core/errors.js';
import { txHash, type Transaction } from '../core/transaction.js';
import { checkBalance, checkTxStateless } from '../consensus/txRules.js';
import type { ChainParts } from './chainParts.js';

/** Validates a transaction against the tip state and adds it to the pool; returns its hash. */
export async function admitTx(p: ChainParts, tx: Transaction): Promise<Bytes> {
  const hash = txHash(tx);
  if (p.pool.has(hash)) throw invalid('TX_DUPLICATE', 'transaction already in the pool');
  checkTxStateless(tx, p.admission);
  const sender = p.senders.of(tx, hash);
  const acct = (await p.states.of(p.tree.tip)).get(sender);
  checkBalance(acct, tx);
  p.pool.add({ tx, hash, sender }, acct.nonce);
  return hash;
}
