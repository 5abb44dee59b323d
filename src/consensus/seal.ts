/**
 * Seal checks (DESIGN §5, chain_rules §5.2). Pure: the seal hash, nonce, mixhash, difficulty and
 * height come in as parameters; nothing is read from a clock, a disk or a thread.
 *
 * - `doublesha256`: digest = sha256(sha256(sealHash ‖ nonce as u64 BE)); valid iff the digest,
 *   a 256-bit big-endian number, is < floor(2^256 / d) − 1; the mixhash must be zero.
 * - `qkchash`: (mix, result) = qkchash(sealHash, nonce, epoch cache of height); valid iff
 *   mix == mixhash and result ≤ floor(2^256 / d).
 * - `simulate`: no hash seal; always valid here (block timing is the sealer's business).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { PowAlgo } from '../core/config.js';
import { invalid } from '../core/errors.js';
import { equalBytes, type Bytes } from '../core/bytes.js';
import { doubleSha256StrictTarget, powBoundary } from './target.js';
import { qkchashHash } from '../hashing/qkchash/hash.js';
import { qkchashCacheForHeight } from '../hashing/qkchash/cache.js';

export const SEAL_HASH_LEN = 32;
export const MIXHASH_LEN = 32;
/** The nonce is a u64 written as 8 bytes big-endian after the seal hash. */
export const NONCE_LEN = 8;
const MAX_NONCE = (1n << 64n) - 1n;

export interface SealInput {
  readonly sealHash: Bytes;
  readonly nonce: bigint;
  readonly mixhash: Bytes;
  readonly difficulty: bigint;
  readonly height: number;
}

/** The 40-byte message sealHash ‖ nonce (u64 BE) that doublesha256 hashes. */
export function sealMessage(sealHash: Bytes, nonce: bigint): Bytes {
  checkShape(sealHash, nonce);
  const m = new Uint8Array(SEAL_HASH_LEN + NONCE_LEN);
  m.set(sealHash, 0);
  new DataView(m.buffer).setBigUint64(SEAL_HASH_LEN, nonce, false);
  return m;
}

/** sha256(sha256(sealHash ‖ nonce)), 32 bytes. */
export function doubleSha256Digest(sealHash: Bytes, nonce: bigint): Bytes {
  return sha256(sha256(sealMessage(sealHash, nonce)));
}

export interface QkchashDigest {
  readonly mix: Bytes;
  readonly result: Bytes;
}

/** QKCHash of (sealHash, nonce) with the cache of height's epoch (⌊height / 30000⌋). */
export function qkchashDigest(sealHash: Bytes, nonce: bigint, height: number): QkchashDigest {
  checkShape(sealHash, nonce);
  return qkchashHash(qkchashCacheForHeight(height), sealHash, nonce);
}

function checkShape(sealHash: Bytes, nonce: bigint): void {
  if (sealHash.length !== SEAL_HASH_LEN) throw invalid('BAD_SEAL', `seal hash must be ${SEAL_HASH_LEN} bytes`);
  if (nonce < 0n || nonce > MAX_NONCE) throw invalid('BAD_SEAL', 'nonce must be a u64');
}

/** QuarkChain's doublesha256 rule on a digest: value < floor(2^256 / d) − 1. */
export function doubleSha256Meets(digest: Bytes, difficulty: bigint): boolean {
  return digestValue(digest) < doubleSha256StrictTarget(difficulty);
}

/** QuarkChain's qkchash rule on a result: value ≤ floor(2^256 / d). */
export function qkchashMeets(result: Bytes, difficulty: bigint): boolean {
  return digestValue(result) <= powBoundary(difficulty);
}

function digestValue(d: Bytes): bigint {
  let x = 0n;
  for (let i = 0; i < d.length; i++) x = (x << 8n) | BigInt(d[i]!);
  return x;
}

function isZero(b: Bytes): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Throws `invalid('BAD_SEAL' | 'BAD_MIXHASH' | 'BAD_DIFFICULTY')` unless the seal is valid for `algo`. */
export function checkSeal(algo: PowAlgo, s: SealInput): void {
  if (algo === 'simulate') return;
  if (s.mixhash.length !== MIXHASH_LEN) throw invalid('BAD_MIXHASH', `mixhash must be ${MIXHASH_LEN} bytes`);
  if (algo === 'doublesha256') {
    if (!isZero(s.mixhash)) throw invalid('BAD_MIXHASH', 'doublesha256 seals carry a zero mixhash');
    if (!doubleSha256Meets(doubleSha256Digest(s.sealHash, s.nonce), s.difficulty)) throw invalid('BAD_SEAL', `doublesha256 digest above target for difficulty ${s.difficulty}`);
    return;
  }
  if (algo === 'qkchash') {
    powBoundary(s.difficulty);
    const { mix, result } = qkchashDigest(s.sealHash, s.nonce, s.height);
    if (!equalBytes(mix, s.mixhash)) throw invalid('BAD_MIXHASH', 'qkchash mix does not match the mixhash');
    if (!qkchashMeets(result, s.difficulty)) throw invalid('BAD_SEAL', `qkchash result above target for difficulty ${s.difficulty}`);
    return;
  }
  throw invalid('BAD_SEAL', `unknown algorithm '${String(algo)}'`);
}
