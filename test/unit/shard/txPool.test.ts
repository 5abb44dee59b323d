import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TxPool, type PoolTx } from '../../../src/shard/txPool.js';
import { ZERO_ADDRESS } from '../../../src/core/address.js';
import { keyOf } from '../../../src/core/bytes.js';
import { ChainError } from '../../../src/core/errors.js';
import { txHash, type Transaction } from '../../../src/core/transaction.js';

const IN_SHARD_GAS = 21_000;
let unique = 0;

/** A tx from sender `s` (a one-byte tag repeated); `r` carries a counter so every tx hash differs. */
function mk(s: number, nonce: number, gasPrice: number, gasLimit = IN_SHARD_GAS): PoolTx {
  const r = new Uint8Array(32);
  new DataView(r.buffer).setUint32(0, ++unique);
  const tx: Transaction = { nonce, gasPrice: BigInt(gasPrice), gasLimit, to: ZERO_ADDRESS, value: 1n, networkId: 1, fromFullShardKey: 0, v: 0, r, s: new Uint8Array(32) };
  return { tx, hash: txHash(tx), sender: new Uint8Array(20).fill(s) };
}

const label = (p: PoolTx): string => `${p.sender[0]}:${p.tx.nonce}`;
const nonces = (m: Record<number, number>) => (s: Uint8Array): number => m[s[0]!] ?? 0;
const codeOf = (fn: () => void): string => {
  try { fn(); } catch (e) { return (e as ChainError).code; }
  return 'OK';
};
const sel = (pool: TxPool, m: Record<number, number> = {}, gasBudget = 1e9, maxCount?: number): string[] =>
  pool.select({ getNonce: nonces(m), gasBudget, gasCost: (tx) => tx.gasLimit, maxCount }).map(label);

test('txPool: nonce order per sender, gas-price priority across senders, FIFO on ties', () => {
  const pool = new TxPool({ maxSize: 100 });
  pool.add(mk(1, 1, 100), 0); // arrives before its predecessor
  pool.add(mk(1, 0, 1), 0);
  pool.add(mk(2, 0, 50), 0);
  pool.add(mk(2, 1, 2), 0);
  pool.add(mk(3, 0, 50), 0);
  pool.add(mk(4, 5, 70), 5);
  assert.deepEqual(sel(pool, { 4: 5 }), ['4:5', '2:0', '3:0', '2:1', '1:0', '1:1']);
  assert.deepEqual(sel(pool, { 1: 1, 4: 5 }), ['1:1', '4:5', '2:0', '3:0', '2:1'], 'starts at the account nonce');
  assert.deepEqual(sel(pool, { 4: 5 }, 1e9, 2), ['4:5', '2:0']);
  assert.equal(pool.size, 6);
});

test('txPool: a nonce gap stops that sender only', () => {
  const pool = new TxPool({ maxSize: 100 });
  for (const n of [0, 1, 3, 4]) pool.add(mk(1, n, 10), 0);
  pool.add(mk(2, 0, 1), 0);
  assert.deepEqual(sel(pool), ['1:0', '1:1', '2:0']);
  assert.deepEqual(sel(pool, { 1: 2 }), ['2:0']);
  assert.deepEqual(sel(pool, { 1: 3 }), ['1:3', '1:4', '2:0']);
});

test('txPool: duplicates and stale nonces are rejected', () => {
  const pool = new TxPool({ maxSize: 100 });
  const a = mk(1, 3, 10);
  pool.add(a, 0);
  assert.equal(codeOf(() => pool.add(a, 0)), 'TX_DUPLICATE');
  assert.equal(codeOf(() => pool.add(mk(1, 2, 10), 3)), 'TX_NONCE_TOO_LOW');
  assert.ok(pool.has(a.hash));
  assert.equal(pool.get(a.hash), a);
  assert.equal(pool.size, 1);
  assert.throws(() => pool.add(a, 0), (e: unknown) => e instanceof ChainError && e.cls === 'invalid');
});

test('txPool: same sender and nonce is replaced only by a higher gas price', () => {
  const pool = new TxPool({ maxSize: 100 });
  const first = mk(1, 0, 10);
  pool.add(first, 0);
  pool.add(mk(1, 1, 10), 0);
  assert.equal(codeOf(() => pool.add(mk(1, 0, 10), 0)), 'TX_NONCE_EXISTS');
  assert.equal(codeOf(() => pool.add(mk(1, 0, 9), 0)), 'TX_NONCE_EXISTS');
  const better = mk(1, 0, 11);
  pool.add(better, 0);
  assert.equal(pool.size, 2);
  assert.ok(!pool.has(first.hash));
  assert.ok(pool.has(better.hash));
  const picked = pool.select({ getNonce: () => 0, gasBudget: 1e9, gasCost: () => IN_SHARD_GAS });
  assert.equal(picked[0], better);
  assert.equal(picked.length, 2);
});

test('txPool: a full pool evicts the cheapest sender tail, or rejects with TX_POOL_FULL', () => {
  const pool = new TxPool({ maxSize: 3 });
  const a0 = mk(1, 0, 1);
  const a1 = mk(1, 1, 20);
  const b0 = mk(2, 0, 5);
  for (const p of [a0, a1, b0]) pool.add(p, 0);
  // a0 is the cheapest but not a tail (evicting it would strand a1): b0 is the victim.
  assert.equal(codeOf(() => pool.add(mk(3, 0, 5), 0)), 'TX_POOL_FULL');
  assert.equal(pool.size, 3);
  const c0 = mk(3, 0, 6);
  pool.add(c0, 0);
  assert.ok(!pool.has(b0.hash) && pool.has(c0.hash) && pool.has(a0.hash));
  // Next cheapest tail is c0 (6) < a1 (20).
  const d0 = mk(4, 0, 7);
  pool.add(d0, 0);
  assert.ok(!pool.has(c0.hash));
  assert.equal(pool.size, 3);
  // Replacement never needs room.
  pool.add(mk(4, 0, 8), 0);
  assert.equal(pool.size, 3);
});

test('txPool: a full pool does not evict a sender tail to add a later nonce of that sender', () => {
  const pool = new TxPool({ maxSize: 2 });
  pool.add(mk(1, 0, 10), 0);
  pool.add(mk(1, 1, 1), 0);
  assert.equal(codeOf(() => pool.add(mk(1, 2, 50), 0)), 'TX_POOL_FULL');
  // Filling below the tail is fine: the tail is evicted, nothing is stranded.
  const pool2 = new TxPool({ maxSize: 2 });
  pool2.add(mk(1, 0, 10), 0);
  pool2.add(mk(1, 2, 1), 0);
  pool2.add(mk(1, 1, 50), 0);
  assert.deepEqual(sel(pool2), ['1:0', '1:1']);
});

test('txPool: removeIncluded drops included and stale txs; requeue brings orphans back', () => {
  const pool = new TxPool({ maxSize: 100 });
  const a = [0, 1, 2].map((n) => mk(1, n, 10));
  const b = [0, 1].map((n) => mk(2, n, 10));
  const c = mk(3, 4, 10);
  for (const p of [...a, ...b, c]) pool.add(p, 0);
  // The block included a0 and b0; a1 went in under another hash (e.g. a replacement), so A's nonce is 2.
  pool.removeIncluded([a[0]!.hash, b[0]!.hash], nonces({ 1: 2, 2: 1 }));
  assert.deepEqual([...a, ...b, c].map((p) => pool.has(p.hash)), [false, false, true, false, true, true]);
  assert.deepEqual(sel(pool, { 1: 2, 2: 1 }), ['1:2', '2:1']);
  // That block is orphaned: the state is back to nonces 0.
  pool.requeue([a[0]!, a[1]!, b[0]!, a[2]!], nonces({}));
  assert.equal(pool.size, 6);
  assert.deepEqual(sel(pool), ['1:0', '1:1', '1:2', '2:0', '2:1']);
  // Requeue under a state that already includes them: nothing stale comes back.
  pool.removeIncluded([], nonces({ 1: 3, 2: 2, 3: 5 }));
  assert.equal(pool.size, 0);
  pool.requeue([a[0]!, b[1]!], nonces({ 1: 1, 2: 1 }));
  assert.deepEqual(sel(pool, { 2: 1 }), ['2:1']);
  assert.equal(pool.size, 1);
});

test('txPool: requeue into a full pool keeps the pool within its limit', () => {
  const pool = new TxPool({ maxSize: 2 });
  pool.add(mk(1, 0, 10), 0);
  pool.add(mk(2, 0, 10), 0);
  // 3:0 does not outbid anyone and is dropped; 4:0 evicts the newer of the two cheapest tails.
  pool.requeue([mk(3, 0, 5), mk(4, 0, 50)], nonces({}));
  assert.equal(pool.size, 2);
  assert.deepEqual(sel(pool), ['4:0', '1:0']);
});

test('txPool: the gas budget is respected; an oversized tx skips only its sender', () => {
  const pool = new TxPool({ maxSize: 100 });
  for (let s = 1; s <= 5; s++) pool.add(mk(s, 0, 100 - s), 0);
  assert.deepEqual(sel(pool, {}, 3 * IN_SHARD_GAS), ['1:0', '2:0', '3:0']);
  assert.deepEqual(sel(pool, {}, 3 * IN_SHARD_GAS - 1), ['1:0', '2:0']);
  pool.add(mk(9, 0, 1000, 200_000), 0);
  pool.add(mk(9, 1, 1000), 0);
  assert.deepEqual(sel(pool, {}, 100_000), ['1:0', '2:0', '3:0', '4:0']);
  assert.deepEqual(sel(pool, {}, 0), []);
});

/** Reference model: the same rules by brute force over a flat list. */
class NaivePool {
  items: { p: PoolTx; order: number }[] = [];
  private order = 0;
  constructor(private readonly maxSize: number) {}
  add(p: PoolTx, accountNonce: number): string {
    const s = keyOf(p.sender);
    if (this.items.some((i) => keyOf(i.p.hash) === keyOf(p.hash))) return 'TX_DUPLICATE';
    if (p.tx.nonce < accountNonce) return 'TX_NONCE_TOO_LOW';
    const old = this.items.find((i) => keyOf(i.p.sender) === s && i.p.tx.nonce === p.tx.nonce);
    if (old) {
      if (p.tx.gasPrice < (old.p.tx.gasPrice * 110n + 99n) / 100n) return 'TX_NONCE_EXISTS'; // a 10 % bump
      this.items = this.items.filter((i) => i !== old);
    } else if (this.items.length >= this.maxSize) {
      const tails = this.items.filter((i) => !this.items.some((j) => keyOf(j.p.sender) === keyOf(i.p.sender) && j.p.tx.nonce > i.p.tx.nonce));
      tails.sort((x, y) => (x.p.tx.gasPrice === y.p.tx.gasPrice ? y.order - x.order : x.p.tx.gasPrice < y.p.tx.gasPrice ? -1 : 1));
      const v = tails[0];
      if (!v || v.p.tx.gasPrice >= p.tx.gasPrice || (keyOf(v.p.sender) === s && v.p.tx.nonce < p.tx.nonce)) return 'TX_POOL_FULL';
      this.items = this.items.filter((i) => i !== v);
    }
    this.items.push({ p, order: this.order++ });
    return 'OK';
  }
  select(getNonce: (s: Uint8Array) => number, budget: number): string[] {
    const next = new Map<string, number>();
    const done = new Set<string>();
    const out: string[] = [];
    for (;;) {
      const heads = this.items.filter((i) => !done.has(keyOf(i.p.sender)) && i.p.tx.nonce === (next.get(keyOf(i.p.sender)) ?? getNonce(i.p.sender)));
      heads.sort((x, y) => (x.p.tx.gasPrice === y.p.tx.gasPrice ? x.order - y.order : x.p.tx.gasPrice > y.p.tx.gasPrice ? -1 : 1));
      const h = heads[0];
      if (!h) return out;
      if (h.p.tx.gasLimit > budget) { done.add(keyOf(h.p.sender)); continue; }
      budget -= h.p.tx.gasLimit;
      out.push(label(h.p));
      next.set(keyOf(h.p.sender), h.p.tx.nonce + 1);
    }
  }
}

test('txPool: matches a brute-force model over seeded random adds, replacements, evictions and selections', () => {
  let seed = 12345;
  const rand = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
  const pool = new TxPool({ maxSize: 40 });
  const model = new NaivePool(40);
  const added: PoolTx[] = [];
  const outcomes = new Map<string, number>();
  for (let step = 0; step < 2000; step++) {
    const p = rand(10) === 0 && added.length > 0 ? added[rand(added.length)]! : mk(1 + rand(8), rand(12), 1 + rand(20), rand(4) === 0 ? 40_000 : IN_SHARD_GAS);
    added.push(p);
    const accountNonce = rand(3);
    const code = model.add(p, accountNonce);
    outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    assert.equal(codeOf(() => pool.add(p, accountNonce)), code, `step ${step}`);
    assert.equal(pool.size, model.items.length);
    if (step % 50 === 0) {
      const m: Record<number, number> = {};
      for (let s = 1; s <= 8; s++) m[s] = rand(3);
      const budget = rand(400_000);
      assert.deepEqual(sel(pool, m, budget), model.select(nonces(m), budget), `select at step ${step}`);
    }
  }
  // Every rule was exercised.
  for (const c of ['OK', 'TX_DUPLICATE', 'TX_NONCE_TOO_LOW', 'TX_NONCE_EXISTS', 'TX_POOL_FULL']) assert.ok((outcomes.get(c) ?? 0) > 10, `${c}: ${outcomes.get(c)}`);
});
