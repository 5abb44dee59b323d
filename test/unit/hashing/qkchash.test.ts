import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeQkchashCache, qkchashCacheForHeight, qkchashEpochSeed } from '../../../src/hashing/qkchash/cache.js';
import { QkchashWorker, qkchashHashReference } from '../../../src/hashing/qkchash/hash.js';
import { qkchashEpoch } from '../../../src/hashing/qkchash/params.js';
import { qkchashDigest } from '../../../src/consensus/seal.js';
import { qkchashMixReference } from '../../../src/hashing/qkchash/reference.js';
import { loadAddon } from '../../../src/pow/native/load.js';
import { KERNEL_NAMES } from '../../../src/pow/types.js';
import { MAX_U256 } from '../../../src/consensus/target.js';
import { big, kernelOrSkip, prng } from '../pow/helpers.js';

interface Vectors {
  published: {
    emptySeedCache: { length: number; first: string };
    hashes: { seed40: string; mix: string; result: string }[];
    epochSeeds: { height: number; seed: string }[];
  };
  reference: { hashes: { height: number; sealHash: string; nonce: string; mix: string; result: string }[] };
}

const vectors = JSON.parse(readFileSync(new URL('../../../../test/vectors/qkchash.json', import.meta.url), 'utf8')) as Vectors;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const emptyCache = makeQkchashCache(new Uint8Array(0));

function split(seed40: string): { sealHash: Uint8Array; nonce: bigint } {
  const b = Buffer.from(seed40, 'hex');
  return { sealHash: new Uint8Array(b.subarray(0, 32)), nonce: b.readBigUInt64LE(32) };
}

test('qkchash: cache of the empty seed matches goquarkchain (length, first, sorted, distinct)', () => {
  const v = emptyCache.values;
  assert.equal(v.length, vectors.published.emptySeedCache.length);
  assert.equal(String(v[0]), vectors.published.emptySeedCache.first);
  for (let i = 1; i < v.length; i++) assert.ok(v[i - 1]! < v[i]!);
});

test('qkchash: published hash vectors pass, fast set and reference', () => {
  const w = new QkchashWorker(emptyCache);
  for (const h of vectors.published.hashes) {
    const { sealHash, nonce } = split(h.seed40);
    const fast = w.hash(sealHash, nonce);
    assert.deepEqual([hex(fast.mix), hex(fast.result)], [h.mix, h.result]);
    const ref = qkchashHashReference(emptyCache, sealHash, nonce);
    assert.deepEqual([hex(ref.mix), hex(ref.result)], [h.mix, h.result]);
  }
});

test('qkchash: epoch seeds match goquarkchain; epoch = floor(height / 30000)', () => {
  for (const s of vectors.published.epochSeeds) assert.equal(hex(qkchashEpochSeed(qkchashEpoch(s.height))), s.seed, `height ${s.height}`);
  assert.deepEqual([0, 29999, 30000, 59999, 60000].map(qkchashEpoch), [0, 0, 1, 1, 2]);
});

test('qkchash: epoch-cache vectors (reference implementation) pass through seal.qkchashDigest', () => {
  for (const h of vectors.reference.hashes) {
    const out = qkchashDigest(Buffer.from(h.sealHash, 'hex'), BigInt(h.nonce), h.height);
    assert.deepEqual([hex(out.mix), hex(out.result)], [h.mix, h.result], `height ${h.height} nonce ${h.nonce}`);
  }
});

test('qkchash: the fast undo-log set agrees with the reference over consecutive hashes (undo restores)', () => {
  const cache = qkchashCacheForHeight(0);
  const w = new QkchashWorker(cache);
  const rnd = prng(99);
  for (let i = 0; i < 6; i++) {
    const sealHash = rnd(32);
    const nonce = big(rnd(8));
    const ref = qkchashHashReference(cache, sealHash, nonce);
    const fast = w.hash(sealHash, nonce);
    assert.deepEqual([hex(fast.mix), hex(fast.result)], [hex(ref.mix), hex(ref.result)]);
    assert.equal(w.set.size, cache.values.length, 'set restored to pristine size');
  }
});

for (const name of KERNEL_NAMES) {
  test(`pow/${name}: qkchash kernel finds the first hit like the reference (low difficulty)`, (t) => {
    const k = kernelOrSkip(t, 'qkchash', name);
    if (!k) return;
    const cache = qkchashCacheForHeight(30000);
    const sealHash = prng(5)(32);
    const target = MAX_U256 >> 2n;
    const start = 2n ** 64n - 3n;
    const r = k.search({ sealHash, target, startNonce: start, count: 12, height: 30000 });
    let want: { nonce: bigint; mix: string; result: string; hashes: number } | null = null;
    for (let i = 0; i < 12 && !want; i++) {
      const nonce = (start + BigInt(i)) % 2n ** 64n;
      const o = qkchashHashReference(cache, sealHash, nonce);
      if (big(o.result) <= target) want = { nonce, mix: hex(o.mix), result: hex(o.result), hashes: i + 1 };
    }
    assert.ok(want, 'a hit exists at difficulty 4 within 12 nonces for this seed');
    assert.deepEqual({ nonce: r.found?.nonce, mix: hex(r.found!.mixhash), result: hex(r.found!.digest), hashes: r.hashes }, want);
    const never = k.search({ sealHash, target: -1n, startNonce: 0n, count: 3, height: 30000 });
    assert.deepEqual([never.found, never.hashes], [null, 3]);
    assert.throws(() => k.search({ sealHash, target: 0n, startNonce: 0n, count: 1 }), (e: unknown) => (e as { code?: string }).code === 'BAD_JOB');
  });
}

test('qkchash: goquarkchain native TestHash vector (fake cache 2i, seed 1..8) on every implementation', () => {
  const v = (vectors.published as unknown as { fakeCacheMix: { seedWords: string[]; mixWords: string[] } }).fakeCacheMix;
  const values = BigUint64Array.from({ length: 65536 }, (_, i) => BigInt(2 * i));
  const seed = BigUint64Array.from(v.seedWords.map(BigInt));
  const want = v.mixWords.map(BigInt);
  assert.deepEqual([...qkchashMixReference(values, seed)], want, 'reference');
  // Every value lands in bucket 0 of the fast set: a degenerate layout it must still get right.
  const s = new Uint8Array(seed.buffer.slice(0));
  const fast = new QkchashWorker({ seed: new Uint8Array(0), values }).digestFromSeed(s);
  assert.deepEqual([...new BigUint64Array(fast.buffer.slice(0))], want, 'fast undo-log set');
  const native = loadAddon();
  if ('addon' in native) {
    const out = new BigUint64Array(4);
    native.addon.qkchashMix(native.addon.qkchashNew(values), seed, out);
    assert.deepEqual([...out], want, 'native');
  }
});
