import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccountTrie, EMPTY_ACCOUNT, type Account } from '../../../src/consensus/accountTrie.js';
import { bigintToBytes, compareBytes, concatBytes, keyOf, toHex } from '../../../src/core/bytes.js';
import { keccak256 } from '../../../src/core/keccak.js';

const MAX_U256 = (1n << 256n) - 1n;

/** Deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomKey(rand: () => number): Uint8Array {
  return Uint8Array.from({ length: 20 }, () => Math.floor(rand() * 256));
}

function leafHash(key: Uint8Array, a: Account): Uint8Array {
  return keccak256(concatBytes(Uint8Array.of(0), key, bigintToBytes(a.balance, 32), bigintToBytes(BigInt(a.nonce), 8)));
}

function bit(key: Uint8Array, b: number): number {
  return (key[Math.floor(b / 8)]! >> (7 - (b % 8))) & 1;
}

/** Independent reference: recursive split of the sorted key set at its first non-shared bit. */
function naiveRoot(entries: [Uint8Array, Account][]): Uint8Array {
  const sorted = [...entries].sort((x, y) => compareBytes(x[0], y[0]));
  const go = (es: [Uint8Array, Account][]): Uint8Array => {
    if (es.length === 1) return leafHash(es[0]![0], es[0]![1]);
    let b = 0;
    while (bit(es[0]![0], b) === bit(es[es.length - 1]![0], b)) b++;
    const left = es.filter((e) => bit(e[0], b) === 0);
    const right = es.filter((e) => bit(e[0], b) === 1);
    return keccak256(concatBytes(Uint8Array.of(1, b), go(left), go(right)));
  };
  return sorted.length === 0 ? new Uint8Array(32) : go(sorted);
}

function modelEntries(model: Map<string, [Uint8Array, Account]>): [Uint8Array, Account][] {
  return [...model.values()].filter(([, a]) => a.balance !== 0n || a.nonce !== 0);
}

test('accountTrie: empty root is 32 zero bytes and get returns the empty account', () => {
  const t = AccountTrie.empty();
  assert.deepEqual(t.root(), new Uint8Array(32));
  assert.equal(t.size, 0);
  assert.equal(t.get(new Uint8Array(20)), EMPTY_ACCOUNT);
  assert.deepEqual([...t.entries()], []);
});

test('accountTrie: single-leaf root is the leaf hash', () => {
  const key = Uint8Array.from({ length: 20 }, (_, i) => i);
  const acct = { balance: 123456789n, nonce: 7 };
  const t = AccountTrie.empty().update([[key, acct]]);
  assert.equal(t.size, 1);
  assert.deepEqual(t.root(), leafHash(key, acct));
  assert.deepEqual(t.get(key), acct);
});

test('accountTrie: two keys differing in the last bit split at bit 159', () => {
  const a = new Uint8Array(20);
  const b = new Uint8Array(20);
  b[19] = 1;
  const x = { balance: 1n, nonce: 0 };
  const y = { balance: 2n, nonce: 1 };
  const t = AccountTrie.empty().update([[b, y], [a, x]]);
  assert.deepEqual(t.root(), keccak256(concatBytes(Uint8Array.of(1, 159), leafHash(a, x), leafHash(b, y))));
});

test('accountTrie: root matches the naive computation after seeded random updates and deletes', () => {
  const rand = rng(42);
  const pool = Array.from({ length: 120 }, () => randomKey(rand));
  // A few keys sharing long prefixes, so splits happen deep in the key too.
  for (let i = 0; i < 8; i++) { const k = Uint8Array.from(pool[0]!); k[19] = i; pool.push(k); }
  const model = new Map<string, [Uint8Array, Account]>();
  let t = AccountTrie.empty();
  for (let round = 0; round < 40; round++) {
    const batch: [Uint8Array, Account][] = [];
    for (let i = 0; i < 15; i++) {
      const key = pool[Math.floor(rand() * pool.length)]!;
      const del = rand() < 0.3;
      const acct = del ? EMPTY_ACCOUNT : { balance: BigInt(Math.floor(rand() * 1e9)), nonce: Math.floor(rand() * 3) };
      batch.push([key, acct]);
      model.set(keyOf(key), [key, acct]);
    }
    t = t.update(batch);
    const expected = modelEntries(model);
    assert.equal(t.size, expected.length);
    assert.equal(toHex(t.root()), toHex(naiveRoot(expected)), `round ${round}`);
    for (const [k, a] of model.values()) assert.deepEqual(t.get(k), a.balance === 0n && a.nonce === 0 ? EMPTY_ACCOUNT : a);
    const sorted = expected.sort((x, y) => compareBytes(x[0], y[0]));
    assert.deepEqual([...t.entries()].map(([k]) => toHex(k)), sorted.map(([k]) => toHex(k)));
  }
});

test('accountTrie: history independence across orders and batch splits', () => {
  const rand = rng(7);
  const final = Array.from({ length: 200 }, (_, i): [Uint8Array, Account] => [randomKey(rand), { balance: BigInt(i + 1), nonce: i % 5 }]);
  const extra = Array.from({ length: 50 }, (): [Uint8Array, Account] => [randomKey(rand), { balance: 99n, nonce: 1 }]);
  const oneBatch = AccountTrie.empty().update(final);
  const reversed = [...final].reverse();
  let piecewise = AccountTrie.empty();
  for (let i = 0; i < reversed.length; i += 17) piecewise = piecewise.update(reversed.slice(i, i + 17));
  // Same final set reached through extra accounts that are later deleted and values later overwritten.
  const detour = AccountTrie.empty()
    .update([...extra, ...final.map(([k]): [Uint8Array, Account] => [k, { balance: 5n, nonce: 9 }])])
    .update(extra.map(([k]): [Uint8Array, Account] => [k, EMPTY_ACCOUNT]))
    .update(final);
  assert.deepEqual(piecewise.root(), oneBatch.root());
  assert.deepEqual(detour.root(), oneBatch.root());
  assert.equal(detour.size, final.length);
});

test('accountTrie: old versions are unchanged after update', () => {
  const rand = rng(3);
  const keys = Array.from({ length: 30 }, () => randomKey(rand));
  const v1 = AccountTrie.empty().update(keys.map((k): [Uint8Array, Account] => [k, { balance: 10n, nonce: 1 }]));
  const root1 = toHex(v1.root());
  const v2 = v1.update([[keys[0]!, { balance: 11n, nonce: 2 }], [keys[1]!, EMPTY_ACCOUNT], [randomKey(rand), { balance: 1n, nonce: 0 }]]);
  assert.notEqual(toHex(v2.root()), root1);
  assert.equal(toHex(v1.root()), root1);
  assert.equal(v1.size, 30);
  assert.equal(v2.size, 30);
  assert.deepEqual(v1.get(keys[0]!), { balance: 10n, nonce: 1 });
  assert.deepEqual(v1.get(keys[1]!), { balance: 10n, nonce: 1 });
  assert.equal(v2.get(keys[1]!), EMPTY_ACCOUNT);
});

test('accountTrie: mutating caller buffers after update does not change the trie', () => {
  const key = new Uint8Array(20).fill(5);
  const t = AccountTrie.empty().update([[key, { balance: 1n, nonce: 1 }]]);
  const root = toHex(t.root());
  key.fill(6);
  assert.deepEqual(t.get(new Uint8Array(20).fill(5)), { balance: 1n, nonce: 1 });
  const [[k]] = [...t.entries()] as [[Uint8Array, Account]];
  k.fill(0);
  assert.equal(toHex(t.update([]).root()), root);
  assert.equal(toHex(t.root()), root);
});

test('accountTrie: deleting everything returns the empty root; no-op updates keep the trie', () => {
  const rand = rng(11);
  const keys = Array.from({ length: 64 }, () => randomKey(rand));
  const full = AccountTrie.empty().update(keys.map((k): [Uint8Array, Account] => [k, { balance: 1n, nonce: 0 }]));
  assert.equal(full.update([[randomKey(rand), EMPTY_ACCOUNT]]), full);
  assert.equal(full.update([[keys[3]!, { balance: 1n, nonce: 0 }]]), full);
  const emptied = full.update(keys.map((k): [Uint8Array, Account] => [k, EMPTY_ACCOUNT]));
  assert.equal(emptied.size, 0);
  assert.deepEqual(emptied.root(), new Uint8Array(32));
});

test('accountTrie: balance up to 2^256 − 1 and large nonces encode; out of range is rejected', () => {
  const key = new Uint8Array(20).fill(0xff);
  const acct = { balance: MAX_U256, nonce: Number.MAX_SAFE_INTEGER };
  const t = AccountTrie.empty().update([[key, acct]]);
  assert.deepEqual(t.root(), leafHash(key, acct));
  assert.throws(() => t.update([[key, { balance: MAX_U256 + 1n, nonce: 0 }]]), { code: 'ACCOUNT_RANGE' });
  assert.throws(() => t.update([[key, { balance: -1n, nonce: 0 }]]), { code: 'ACCOUNT_RANGE' });
  assert.throws(() => t.update([[new Uint8Array(19), { balance: 1n, nonce: 0 }]]), { code: 'BAD_RECIPIENT' });
});

test('accountTrie: one update changing many paths (some keys twice, inserts, deletes) leaves the hashed old version intact', () => {
  const rand = rng(21);
  const keys = Array.from({ length: 64 }, () => randomKey(rand));
  const v1 = AccountTrie.empty().update(keys.map((k, i): [Uint8Array, Account] => [k, { balance: BigInt(i + 1), nonce: 1 }]));
  const root1 = toHex(v1.root());
  const added = Array.from({ length: 16 }, () => randomKey(rand));
  const changes: [Uint8Array, Account][] = [
    ...keys.map((k, i): [Uint8Array, Account] => [k, { balance: BigInt(i + 100), nonce: 2 }]),
    ...added.map((k): [Uint8Array, Account] => [k, { balance: 7n, nonce: 0 }]),
    [keys[3]!, EMPTY_ACCOUNT],
    [keys[50]!, EMPTY_ACCOUNT],
    ...keys.slice(0, 32).map((k, i): [Uint8Array, Account] => [k, { balance: BigInt(i + 1000), nonce: 3 }]),
    [added[0]!, { balance: 8n, nonce: 1 }],
  ];
  const v2 = v1.update(changes);
  // The old version: same memoised root, same root when rebuilt, same accounts.
  assert.equal(toHex(v1.root()), root1);
  assert.equal(toHex(AccountTrie.empty().update(keys.map((k, i): [Uint8Array, Account] => [k, { balance: BigInt(i + 1), nonce: 1 }])).root()), root1);
  assert.deepEqual(v1.get(keys[5]!), { balance: 6n, nonce: 1 });
  assert.equal(v1.get(added[1]!), EMPTY_ACCOUNT);
  // The new version equals the same final set built from nothing.
  const final = new Map<string, [Uint8Array, Account]>();
  for (const [k, a] of changes) final.set(toHex(k), [k, a]);
  const live = [...final.values()].filter(([, a]) => a !== EMPTY_ACCOUNT);
  assert.equal(v2.size, live.length);
  assert.equal(toHex(v2.root()), toHex(AccountTrie.empty().update(live.reverse()).root()));
  assert.deepEqual(v2.get(keys[5]!), { balance: 1005n, nonce: 3 });
  assert.deepEqual(v2.get(keys[40]!), { balance: 140n, nonce: 2 });
  assert.deepEqual(v2.get(keys[3]!), { balance: 1003n, nonce: 3 }, 'deleted, then written again in the same update');
  assert.equal(v2.get(keys[50]!), EMPTY_ACCOUNT);
});
