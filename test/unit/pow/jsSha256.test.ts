/**
 * The JS doublesha256 kernel's parts: the generated doubleSha (first digest word only), the
 * rolled slow path fullDigest, and the quick check on the first word followed by the exact
 * 256-bit compare. The kernel as a whole is checked with the others in sha256Kernels.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJsSha256Kernel, fullDigest, partialRounds } from '../../../src/pow/sha256/jsKernel.js';
import { doubleSha, prepareJob } from '../../../src/pow/sha256/jsUnrolled.js';
import { BLOCK1_CONST_ROUNDS, IV256 } from '../../../src/pow/sha256/constants.js';
import { beWords } from '../../../src/pow/job.js';
import { big, nobleSha256d, oracleSearch, prng } from './helpers.js';

/** Job words (seal hash, nonce high) and the state after rounds 0..8, as jsKernel prepares them. */
function jobWords(seal: Uint8Array, hi: number): { job: Int32Array; mid: Int32Array } {
  const job = new Int32Array(9);
  job.set(beWords(seal), 0);
  job[8] = hi;
  const w = new Int32Array(64);
  w.set(job, 0);
  const mid = Int32Array.from(IV256);
  partialRounds(mid, w, BLOCK1_CONST_ROUNDS);
  return { job, mid };
}

const LOS = [0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

test('pow/js: generated doubleSha returns the first word of the double SHA-256 digest', () => {
  const rnd = prng(0xd5a1);
  for (let i = 0; i < 30; i++) {
    const seal = rnd(32);
    const hi = i < 3 ? [0, 0xffffffff, 0x80000000][i]! : Buffer.from(rnd(4)).readUInt32BE(0);
    const { job, mid } = jobWords(seal, hi);
    prepareJob(job, mid);
    const los = [...LOS, ...Array.from({ length: 8 }, () => Buffer.from(rnd(4)).readUInt32BE(0))];
    for (const lo of los) {
      const want = Buffer.from(nobleSha256d(seal, (BigInt(hi) << 32n) | BigInt(lo))).readUInt32BE(0);
      assert.equal(doubleSha(lo | 0) >>> 0, want, `seal ${i} hi ${hi} lo ${lo}`);
    }
  }
});

test('pow/js: the slow path fullDigest is the whole double SHA-256 digest', () => {
  const rnd = prng(0xf011);
  const s = { job: new Int32Array(9), w: new Int32Array(64), digest: new Int32Array(8) };
  for (let i = 0; i < 20; i++) {
    const seal = rnd(32);
    const hi = Buffer.from(rnd(4)).readUInt32BE(0);
    s.job.set(jobWords(seal, hi).job);
    for (const lo of [...LOS, Buffer.from(rnd(4)).readUInt32BE(0)]) {
      fullDigest(s, lo | 0);
      const got = Buffer.alloc(32);
      for (let k = 0; k < 8; k++) got.writeInt32BE(s.digest[k]!, 4 * k);
      assert.equal(got.toString('hex'), Buffer.from(nobleSha256d(seal, (BigInt(hi) << 32n) | BigInt(lo))).toString('hex'));
    }
  }
});

test('pow/js: a nonce passing the first-word check but above the target is skipped, the next real hit found', () => {
  const k = createJsSha256Kernel();
  const rnd = prng(0x7e57);
  const count = 256;
  let cases = 0;
  for (let round = 0; cases < 6 && round < 200; round++) {
    const sealHash = rnd(32);
    const start = big(rnd(8)) >> 1n;
    const d = Array.from({ length: count }, (_, i) => big(nobleSha256d(sealHash, start + BigInt(i))));
    // i: the smallest digest of the first half; the target one below it has the same top word
    // (so nonce i passes the quick check) but only a nonce of the second half can meet it.
    let i = 0;
    for (let n = 1; n < count / 2; n++) if (d[n]! < d[i]!) i = n;
    const target = d[i]! - 1n;
    assert.equal(target >> 224n, d[i]! >> 224n, 'top word of the target = top word of nonce i');
    const want = oracleSearch(sealHash, target, start, count);
    const got = k.search({ sealHash, target, startNonce: start, count });
    if (want === null) {
      // No real hit: only the false pass(es).
      assert.deepEqual([got.found, got.hashes], [null, count]);
    } else {
      assert.ok(want.hashes - 1 >= count / 2);
      assert.equal(got.found?.nonce, want.nonce);
      assert.equal(Buffer.from(got.found!.digest).toString('hex'), Buffer.from(want.digest).toString('hex'));
      assert.equal(got.hashes, want.hashes);
      cases++;
    }
  }
  assert.equal(cases, 6, 'enough jobs with a false pass before a real hit');
});

test('pow/js: kernels of one thread share the per-job constants safely (searches interleaved)', () => {
  const [k1, k2] = [createJsSha256Kernel(), createJsSha256Kernel()];
  const rnd = prng(0x5a4e);
  const target = (1n << 256n) >> 5n;
  for (let i = 0; i < 10; i++) {
    for (const k of [k1, k2, k1]) {
      const sealHash = rnd(32);
      const startNonce = big(rnd(8));
      const want = oracleSearch(sealHash, target, startNonce, 64);
      const got = k.search({ sealHash, target, startNonce, count: 64 });
      assert.equal(got.found?.nonce, want?.nonce);
      assert.equal(got.hashes, want ? want.hashes : 64);
    }
  }
});
