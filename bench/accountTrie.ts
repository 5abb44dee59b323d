/**
 * Account trie benchmark: updates per second on a 10,000-account state, applying batches of
 * 2,000 random changes (balance and nonce bumps) and computing root() after each batch, as a
 * block would. Prints one stable line.
 */
import { AccountTrie, type Account } from '../src/consensus/accountTrie.js';

/** State size and batch size from the task: a busy shard with a full block of changes. */
const ACCOUNTS = 10_000;
const BATCH = 2_000;
/** Enough batches that timing noise is small, few enough to finish in about a second. */
const BATCHES = 50;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(1);
const keys = Array.from({ length: ACCOUNTS }, () => Uint8Array.from({ length: 20 }, () => Math.floor(rand() * 256)));
let trie = AccountTrie.empty().update(keys.map((k): [Uint8Array, Account] => [k, { balance: 1_000_000n, nonce: 0 }]));
trie.root();

const batches = Array.from({ length: BATCHES }, (_, b) =>
  Array.from({ length: BATCH }, (): [Uint8Array, Account] => {
    const k = keys[Math.floor(rand() * ACCOUNTS)]!;
    return [k, { balance: BigInt(Math.floor(rand() * 1e12)), nonce: b + 1 }];
  }));

const start = process.hrtime.bigint();
for (const batch of batches) {
  trie = trie.update(batch);
  trie.root();
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const rate = Math.round((BATCHES * BATCH) / seconds);
console.log(`accountTrie: ${rate} updates/s (accounts=${ACCOUNTS} batch=${BATCH} batches=${BATCHES}, root after each batch)`);
