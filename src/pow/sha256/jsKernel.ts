/**
 * Portable doublesha256 kernel in plain JavaScript, specialised for the 40-byte seal message.
 *
 * Per job (and per nonce-high word) the first 9 rounds of block 1, which read only the seal
 * hash and the nonce high word, are run once, and every term that does not depend on the nonce
 * low word is folded, round 9 included (prepareJob); per nonce, `doubleSha` (generated, fully
 * unrolled, words and state in locals: scripts/gen-sha256-js.mjs) runs the rest of block 1 and
 * block 2 and returns only the first digest word. Only a nonce whose first word passes that
 * quick check (≤ the target's first word) gets its whole digest recomputed by the plain rolled
 * code below (`fullDigest`) for the exact 256-bit compare and the result bytes.
 * No allocation per nonce. doubleSha's bytecode (~50 KB on Node 20) must stay under V8's 60 KB
 * limit for optimisation, or it silently runs ~70× slower: test/unit/pow/generated.test.ts checks.
 */
import { BLOCK1_CONST_ROUNDS, IV256, K256, MSG1_BITS, MSG2_BITS, PAD_BIT_WORD } from './constants.js';
import { doubleSha, prepareJob } from './jsUnrolled.js';
import { beWords, checkJob, nonceAt, splitNonce, targetWords, wordsLeTarget, wordsToBytes } from '../job.js';
import type { Kernel, SealJob, SearchResult } from '../types.js';

const K = K256;
const TWO_32 = 0x1_0000_0000;

/** Preallocated scratch for one searcher (one per thread). */
interface Scratch {
  readonly job: Int32Array;
  readonly w: Int32Array;
  readonly mid: Int32Array;
  readonly digest: Int32Array;
}

function newScratch(): Scratch {
  return { job: new Int32Array(9), w: new Int32Array(64), mid: new Int32Array(8), digest: new Int32Array(8) };
}

/** Per job and nonce-high word: state after rounds 0..8, then the folded constants (jsUnrolled's module-level P). */
function prepare(s: Scratch, seal: Int32Array, hi: number): void {
  s.job.set(seal, 0);
  s.job[8] = hi;
  s.w.set(s.job, 0);
  s.mid.set(IV256);
  partialRounds(s.mid, s.w, BLOCK1_CONST_ROUNDS);
  prepareJob(s.job, s.mid);
}

/** Rounds [0, n) on st (setup and slow path only, not the hot path). */
export function partialRounds(st: Int32Array, W: Int32Array, n: number): void {
  let a = st[0]!, b = st[1]!, c = st[2]!, d = st[3]!, e = st[4]!, f = st[5]!, g = st[6]!, h = st[7]!;
  for (let t = 0; t < n; t++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[t]! + W[t]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d; st[4] = e; st[5] = f; st[6] = g; st[7] = h;
}

/** One SHA-256 block: w[0..15] set, expanded in place; st (starting at IV) ← compression + IV. */
function compressFromIv(st: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = w[t - 2]!, y = w[t - 15]!;
    w[t] = ((((x >>> 17) | (x << 15)) ^ ((x >>> 19) | (x << 13)) ^ (x >>> 10)) + w[t - 7]! + (((y >>> 7) | (y << 25)) ^ ((y >>> 18) | (y << 14)) ^ (y >>> 3)) + w[t - 16]!) | 0;
  }
  st.set(IV256);
  partialRounds(st, w, 64);
  for (let i = 0; i < 8; i++) st[i] = (st[i]! + IV256[i]!) | 0;
}

/**
 * The slow path, taken only when the first digest word passes the quick check: the whole
 * digest of nonce (job[8], lo) into s.digest, by the plain rolled code (independent of the
 * generated kernel). Clobbers s.w.
 */
export function fullDigest(s: { readonly job: Int32Array; readonly w: Int32Array; readonly digest: Int32Array }, lo: number): void {
  const { w, digest } = s;
  w.fill(0);
  w.set(s.job, 0);
  w[9] = lo; w[10] = PAD_BIT_WORD; w[15] = MSG1_BITS;
  compressFromIv(digest, w);
  w.fill(0);
  w.set(digest, 0);
  w[8] = PAD_BIT_WORD; w[15] = MSG2_BITS;
  compressFromIv(digest, w);
}

/** Searches `job` with the JS kernel; `s` is reused scratch. */
function search(s: Scratch, job: SealJob): SearchResult {
  checkJob(job);
  const tw = targetWords(job.target);
  const t0 = tw.words[0]!;
  const seal = beWords(job.sealHash);
  let { hi, lo } = splitNonce(job.startNonce);
  let done = 0;
  while (done < job.count) {
    const n = Math.min(job.count - done, TWO_32 - lo);
    prepare(s, seal, hi);
    for (let i = 0; i < n; i++) {
      // Quick check on the first digest word; the rare nonce that passes gets the full compare.
      if ((doubleSha((lo + i) | 0) >>> 0) > t0) continue;
      fullDigest(s, (lo + i) | 0);
      if (wordsLeTarget(s.digest, tw)) {
        const hashes = done + i + 1;
        return { found: { nonce: nonceAt(job.startNonce, hashes - 1), mixhash: new Uint8Array(32), digest: wordsToBytes(s.digest) }, hashes };
      }
    }
    done += n;
    lo = 0;
    hi = (hi + 1) >>> 0;
  }
  return { found: null, hashes: done };
}

export function createJsSha256Kernel(): Kernel {
  const s = newScratch();
  return { name: 'js', algo: 'doublesha256', variant: 'scalar', search: (job) => search(s, job) };
}
