import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KERNEL_NAMES, type Kernel, type SealJob } from '../../../src/pow/types.js';
import { MAX_U256, NO_TARGET } from '../../../src/consensus/target.js';
import { U64, big, hitSummary, kernelOrSkip, nobleSha256d, oracleSearch, prng } from './helpers.js';
import { fastestVariant, loadAddon, nativeVariants } from '../../../src/pow/native/load.js';
import { createNativeSha256Kernel } from '../../../src/pow/native/kernels.js';

const ZERO = new Uint8Array(32);

function expectSame(k: Kernel, job: SealJob, msg: string): void {
  const target = typeof job.target === 'bigint' ? job.target : big(job.target);
  const want = oracleSearch(job.sealHash, target, job.startNonce, job.count);
  const got = k.search(job);
  assert.deepEqual(hitSummary(got.found), want ? hitSummary({ nonce: want.nonce, digest: want.digest, mixhash: ZERO }) : null, msg);
  assert.equal(got.hashes, want ? want.hashes : job.count, `${msg}: hashes`);
}

function checkRandomJobs(k: Kernel): void {
  const rnd = prng(0x5eed);
  for (let i = 0; i < 40; i++) {
    const sealHash = rnd(32);
    const startNonce = big(rnd(8));
    const shift = BigInt(1 + (i % 6));
    // Difficulty 2..64: several hits per job, each found in order.
    const target = (MAX_U256 >> shift);
    expectSame(k, { sealHash, target, startNonce, count: 1 + (i * 7) % 97 }, `job ${i}`);
  }
}

function checkEdges(k: Kernel): void {
  const rnd = prng(77);
  for (let round = 0; round < 6; round++) {
    const sealHash = rnd(32);
    const start = big(rnd(8)) >> 1n;
    const count = 37 + round * 11;
    let best = -1, bestV = MAX_U256 + 1n;
    for (let i = 0; i < count; i++) {
      const v = big(nobleSha256d(sealHash, start + BigInt(i)));
      if (v < bestV) { bestV = v; best = i; }
    }
    // target = the minimum digest: exactly that nonce is hit; one below: nothing.
    const hit = k.search({ sealHash, target: bestV, startNonce: start, count });
    assert.equal(hit.found?.nonce, start + BigInt(best));
    assert.equal(hit.hashes, best + 1);
    assert.equal(k.search({ sealHash, target: bestV - 1n, startNonce: start, count }).found, null);
    // Same top word, lower words 0 / all ones: exercises the full 256-bit comparison path.
    const top = bestV >> 224n;
    expectSame(k, { sealHash, target: top << 224n, startNonce: start, count }, 'top word, rest zero');
    expectSame(k, { sealHash, target: (top << 224n) | ((1n << 224n) - 1n), startNonce: start, count }, 'top word, rest ones');
    const asBytes = Buffer.from(bestV.toString(16).padStart(64, '0'), 'hex');
    assert.equal(k.search({ sealHash, target: new Uint8Array(asBytes), startNonce: start, count }).found?.nonce, start + BigInt(best));
  }
  const never = k.search({ sealHash: ZERO, target: NO_TARGET, startNonce: 0n, count: 50 });
  assert.deepEqual([never.found, never.hashes], [null, 50]);
  const always = k.search({ sealHash: ZERO, target: MAX_U256, startNonce: 9n, count: 50 });
  assert.deepEqual([always.found?.nonce, always.hashes], [9n, 1]);
  const none = k.search({ sealHash: ZERO, target: MAX_U256, startNonce: 9n, count: 0 });
  assert.deepEqual([none.found, none.hashes], [null, 0]);
}

function checkWrap(k: Kernel): void {
  const rnd = prng(4242);
  const starts = [U64 - 5n, 0xfffffff0n, 0x1_ffff_fff9n, 0n];
  for (const startNonce of starts) {
    for (const count of [1, 7, 16, 17, 33, 64]) {
      const sealHash = rnd(32);
      expectSame(k, { sealHash, target: MAX_U256 >> 3n, startNonce, count }, `start ${startNonce} count ${count}`);
      // A target that only the last nonce of the range meets (if any) checks the tail lanes.
      const last = (startNonce + BigInt(count - 1)) % U64;
      const v = big(nobleSha256d(sealHash, last));
      expectSame(k, { sealHash, target: v, startNonce, count }, `tail ${startNonce} ${count}`);
    }
  }
}

function checkBadJobs(k: Kernel): void {
  const ok = { sealHash: ZERO, target: 0n, startNonce: 0n, count: 1 };
  for (const bad of [{ ...ok, sealHash: new Uint8Array(31) }, { ...ok, startNonce: U64 }, { ...ok, count: -1 }, { ...ok, count: 1.5 }, { ...ok, target: MAX_U256 + 1n }]) {
    assert.throws(() => k.search(bad), (e: unknown) => (e as { code?: string }).code === 'BAD_JOB');
  }
}

const CHECKS: [string, (k: Kernel) => void][] = [
  ['random jobs at low difficulty match @noble/hashes', checkRandomJobs],
  ['edge targets (exact digest, word-0 ties, never, always, bytes)', checkEdges],
  ['nonce wrap (low word and 2^64) and odd counts', checkWrap],
  ['malformed jobs throw BAD_JOB', checkBadJobs],
];

for (const name of KERNEL_NAMES) {
  for (const [what, check] of CHECKS) {
    test(`pow/${name}: doublesha256 ${what}`, (t) => {
      const k = kernelOrSkip(t, 'doublesha256', name);
      if (!k) return;
      assert.equal(k.name, name);
      check(k);
    });
  }
}

// Every native variant this CPU can run (not only the preferred one).
const native = loadAddon();
for (const variant of nativeVariants()) {
  test(`pow/native ${variant}: doublesha256 all checks`, () => {
    if (!('addon' in native)) return;
    const k = createNativeSha256Kernel(native.addon, variant);
    for (const [, check] of CHECKS) check(k);
  });
}

test('pow/native: the calibrated default is one of the usable variants', (t) => {
  if (!('addon' in native)) { t.skip(`native unavailable: ${native.error}`); return; }
  const variants = nativeVariants();
  assert.ok(variants.includes(fastestVariant(native.addon, variants)));
  assert.equal(fastestVariant(native.addon, ['sse2x4']), 'sse2x4', 'a single candidate is taken as is');
});
