/**
 * Portable doublesha256 kernel in plain JavaScript, specialised for the 40-byte seal message.
 *
 * Per job (and per nonce-high word) the first 9 rounds of block 1, which read only the seal
 * hash and the nonce high word, are run once, and the schedule terms that do not depend on the
 * nonce are folded (prepareJob); per nonce, `doubleSha` (generated, fully unrolled, words and
 * state in locals: scripts/gen-sha256-js.mjs) runs rounds 9..63 of block 1 and all of block 2.
 * No allocation per nonce. Its bytecode (~50 KB on Node 20) must stay under V8's 60 KB limit
 * for optimisation, or it silently runs ~70× slower: test/unit/pow/generated.test.ts checks.
 */
import { BLOCK1_CONST_ROUNDS, IV256, K256 } from './constants.js';
import { PREP_SLOTS, doubleSha, prepareJob } from './jsUnrolled.js';
import { beWords, checkJob, nonceAt, splitNonce, targetWords, wordsLeTarget, wordsToBytes } from '../job.js';
import type { Kernel, SealJob, SearchResult } from '../types.js';

const K = K256;
const TWO_32 = 0x1_0000_0000;

/** Preallocated scratch for one searcher (one per thread). */
interface Scratch {
  readonly job: Int32Array;
  readonly pre: Int32Array;
  readonly w: Int32Array;
  readonly mid: Int32Array;
  readonly digest: Int32Array;
}

function newScratch(): Scratch {
  return { job: new Int32Array(9), pre: new Int32Array(PREP_SLOTS), w: new Int32Array(16), mid: new Int32Array(8), digest: new Int32Array(8) };
}

/** Per job and nonce-high word: state after rounds 0..8 and the folded schedule constants. */
function prepare(s: Scratch, seal: Int32Array, hi: number): void {
  s.job.set(seal, 0);
  s.job[8] = hi;
  s.w.set(s.job, 0);
  s.mid.set(IV256);
  partialRounds(s.mid, s.w, BLOCK1_CONST_ROUNDS);
  prepareJob(s.job, s.pre, s.mid);
}

/** Rounds [0, n) on st (setup only, not the hot path). */
export function partialRounds(st: Int32Array, W: Int32Array, n: number): void {
  let a = st[0]!, b = st[1]!, c = st[2]!, d = st[3]!, e = st[4]!, f = st[5]!, g = st[6]!, h = st[7]!;
  for (let t = 0; t < n; t++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[t]! + W[t]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d; st[4] = e; st[5] = f; st[6] = g; st[7] = h;
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
    const { pre, digest } = s;
    for (let i = 0; i < n; i++) {
      const h0 = doubleSha(pre, (lo + i) | 0, digest) >>> 0;
      if (h0 > t0 || tw.never) continue;
      digest[0] = h0;
      if (h0 < t0 || wordsLeTarget(digest, tw)) {
        const hashes = done + i + 1;
        return { found: { nonce: nonceAt(job.startNonce, hashes - 1), mixhash: new Uint8Array(32), digest: wordsToBytes(digest) }, hashes };
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
