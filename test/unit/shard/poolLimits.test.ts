/**
 * The pool's limits (shard/poolLimits.ts): executable and future transfers counted apart, the
 * per-account queue, the global queue, the nonce gap, per-account executable transfers, the
 * replacement bump, expiry of futures, and local transfers exempt from all but the size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZERO_ADDRESS } from '../../../src/core/address.js';
import { ChainError } from '../../../src/core/errors.js';
import { txHash, type Transaction } from '../../../src/core/transaction.js';
import { ACCOUNT_PENDING, ACCOUNT_QUEUE, GLOBAL_QUEUE, MAX_NONCE_GAP, QUEUED_LIFETIME_SEC } from '../../../src/shard/poolLimits.js';
import { TxPool, type PoolTx } from '../../../src/shard/txPool.js';

let unique = 0;
function mk(sender: number, nonce: number, gasPrice = 10n): PoolTx {
  const r = new Uint8Array(32);
  new DataView(r.buffer).setUint32(0, ++unique);
  const tx: Transaction = { nonce, gasPrice, gasLimit: 21_000, to: ZERO_ADDRESS, value: 1n, networkId: 1, fromFullShardKey: 0, v: 0, r, s: new Uint8Array(32) };
  const id = new Uint8Array(20);
  new DataView(id.buffer).setUint32(0, sender);
  return { tx, hash: txHash(tx), sender: id };
}
const codeOf = (fn: () => void): string => {
  try { fn(); } catch (e) { return (e as ChainError).code; }
  return 'OK';
};
const BIG = 1_000_000;

test('pool limits: future transfers are counted apart and capped per account; the gap is capped; locals are exempt', () => {
  const pool = new TxPool({ maxSize: BIG });
  pool.add(mk(1, 0), 0);
  for (let n = 2; n < 2 + ACCOUNT_QUEUE; n++) pool.add(mk(1, n), 0);
  assert.deepEqual(pool.counts, { pending: 1, queued: ACCOUNT_QUEUE });
  assert.equal(codeOf(() => pool.add(mk(1, 2 + ACCOUNT_QUEUE), 0)), 'TX_ACCOUNT_QUEUE_FULL');
  // The spam: nonces 1,000 and up for an account at nonce 0.
  assert.equal(codeOf(() => pool.add(mk(2, 1000), 0)), 'TX_NONCE_TOO_FAR');
  assert.equal(codeOf(() => pool.add(mk(2, 1 + MAX_NONCE_GAP), 0)), 'TX_NONCE_TOO_FAR');
  pool.add(mk(2, MAX_NONCE_GAP), 0);
  pool.add(mk(3, 1000), 0, { local: true });
  // The gap fills: sender 1's futures become executable.
  pool.add(mk(1, 1), 0);
  assert.deepEqual(pool.counts, { pending: 2 + ACCOUNT_QUEUE, queued: 2 });
  assert.equal(pool.pendingNonce(mk(1, 0).sender, 0), 2 + ACCOUNT_QUEUE);
});

test('pool limits: the global queue and executable transfers per account are capped', () => {
  const pool = new TxPool({ maxSize: BIG });
  for (let s = 0; s < GLOBAL_QUEUE; s++) pool.add(mk(100 + s, 1), 0);
  assert.equal(pool.counts.queued, GLOBAL_QUEUE);
  assert.equal(codeOf(() => pool.add(mk(99, 1), 0)), 'TX_QUEUE_FULL');
  assert.equal(codeOf(() => pool.add(mk(99, 0), 0)), 'OK', 'an executable transfer still fits');
  for (let n = 0; n < ACCOUNT_PENDING; n++) pool.add(mk(7, n), 0);
  assert.equal(codeOf(() => pool.add(mk(7, ACCOUNT_PENDING), 0)), 'TX_ACCOUNT_PENDING_FULL');
});

test('pool limits: a replacement needs a 10 % higher gas price', () => {
  const pool = new TxPool({ maxSize: BIG });
  pool.add(mk(1, 0, 100n), 0);
  assert.equal(codeOf(() => pool.add(mk(1, 0, 109n), 0)), 'TX_NONCE_EXISTS');
  assert.equal(codeOf(() => pool.add(mk(1, 0, 110n), 0)), 'OK');
  assert.equal(pool.size, 1);
});

test('pool limits: future transfers expire after their lifetime, executable ones stay; included ones leave the counts', () => {
  const pool = new TxPool({ maxSize: BIG });
  const t0 = 1_000;
  pool.add(mk(1, 0), 0, { nowSec: t0 });
  pool.add(mk(1, 5), 0, { nowSec: t0 });
  pool.add(mk(2, 3), 0, { nowSec: t0 + QUEUED_LIFETIME_SEC });
  assert.equal(pool.expireQueued(t0 + QUEUED_LIFETIME_SEC, () => 0), 0, 'not older than the lifetime yet');
  assert.equal(pool.expireQueued(t0 + QUEUED_LIFETIME_SEC + 60, () => 0), 1);
  assert.deepEqual(pool.counts, { pending: 1, queued: 1 });
  pool.removeIncluded([mk(9, 0).hash], (s) => (s[3] === 1 ? 1 : 0));
  assert.deepEqual(pool.counts, { pending: 0, queued: 1 });
});
