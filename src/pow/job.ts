/** Job decoding shared by the kernels: seal-hash words, target words, nonce halves, checks. */
import { invalid } from '../core/errors.js';
import { MAX_U256, NO_TARGET } from '../consensus/target.js';
import { MAX_SEARCH_COUNT, type SealJob } from './types.js';
import type { Bytes } from '../core/bytes.js';

const SEAL_HASH_LEN = 32;
const U64_MASK = (1n << 64n) - 1n;
const U32_MASK = 0xffffffffn;

/** A target as 8 big-endian u32 words (most significant first) plus "nothing matches". */
export interface TargetWords {
  readonly words: Uint32Array;
  readonly never: boolean;
}

export function targetToBigint(t: bigint | Bytes): bigint {
  if (typeof t === 'bigint') {
    if (t < NO_TARGET || t > MAX_U256) throw invalid('BAD_JOB', 'target must be in [-1, 2^256 - 1]');
    return t;
  }
  if (t.length !== 32) throw invalid('BAD_JOB', 'target must be 32 bytes');
  let x = 0n;
  for (let i = 0; i < 32; i++) x = (x << 8n) | BigInt(t[i]!);
  return x;
}

export function targetWords(t: bigint | Bytes): TargetWords {
  const v = targetToBigint(t);
  const words = new Uint32Array(8);
  if (v < 0n) return { words, never: true };
  for (let i = 0; i < 8; i++) words[i] = Number((v >> BigInt(224 - 32 * i)) & U32_MASK);
  return { words, never: false };
}

/** The 32-byte big-endian form of a non-negative target. */
export function targetBytes(t: bigint): Bytes {
  const out = new Uint8Array(32);
  let x = t < 0n ? 0n : t;
  for (let i = 31; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}

export function checkJob(job: SealJob): void {
  if (job.sealHash.length !== SEAL_HASH_LEN) throw invalid('BAD_JOB', 'seal hash must be 32 bytes');
  if (job.startNonce < 0n || job.startNonce > U64_MASK) throw invalid('BAD_JOB', 'startNonce must be a u64');
  if (!Number.isInteger(job.count) || job.count < 0 || job.count > MAX_SEARCH_COUNT) {
    throw invalid('BAD_JOB', `count must be an integer in [0, ${MAX_SEARCH_COUNT}]`);
  }
}

/** Big-endian u32 words of 32 bytes. */
export function beWords(b: Bytes): Int32Array {
  const w = new Int32Array(8);
  for (let i = 0; i < 8; i++) w[i] = (b[4 * i]! << 24) | (b[4 * i + 1]! << 16) | (b[4 * i + 2]! << 8) | b[4 * i + 3]!;
  return w;
}

/** The nonce `start + offset` modulo 2^64. */
export function nonceAt(start: bigint, offset: number): bigint {
  return (start + BigInt(offset)) & U64_MASK;
}

export function splitNonce(n: bigint): { hi: number; lo: number } {
  return { hi: Number((n >> 32n) & U32_MASK), lo: Number(n & U32_MASK) };
}

/** 32 bytes from 8 big-endian words. */
export function wordsToBytes(w: ArrayLike<number>): Bytes {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const x = w[i]! >>> 0;
    out[4 * i] = x >>> 24; out[4 * i + 1] = (x >>> 16) & 0xff; out[4 * i + 2] = (x >>> 8) & 0xff; out[4 * i + 3] = x & 0xff;
  }
  return out;
}

/** digest (8 BE words) ≤ target words, compared as 256-bit numbers. */
export function wordsLeTarget(d: ArrayLike<number>, t: TargetWords): boolean {
  if (t.never) return false;
  for (let i = 0; i < 8; i++) {
    const x = d[i]! >>> 0, y = t.words[i]!;
    if (x !== y) return x < y;
  }
  return true;
}
