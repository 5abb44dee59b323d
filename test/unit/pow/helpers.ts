/** Shared oracles for the kernel tests: @noble/hashes, independent of every kernel. */
import { sha256 } from '@noble/hashes/sha2.js';
import type { TestContext } from 'node:test';
import { KERNEL_FACTORIES } from '../../../src/pow/select.js';
import type { Kernel, KernelName, SealHit } from '../../../src/pow/types.js';
import type { HashAlgo } from '../../../src/consensus/target.js';

export const U64 = 1n << 64n;

export function nobleSha256d(sealHash: Uint8Array, nonce: bigint): Uint8Array {
  const m = new Uint8Array(40);
  m.set(sealHash, 0);
  new DataView(m.buffer).setBigUint64(32, nonce % U64, false);
  return sha256(sha256(m));
}

export function big(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

export interface OracleHit { readonly nonce: bigint; readonly digest: Uint8Array; readonly hashes: number }

/** First nonce in [start, start + count) (mod 2^64) whose double SHA-256 is ≤ target. */
export function oracleSearch(sealHash: Uint8Array, target: bigint, start: bigint, count: number): OracleHit | null {
  for (let i = 0; i < count; i++) {
    const nonce = (start + BigInt(i)) % U64;
    const d = nobleSha256d(sealHash, nonce);
    if (target >= 0n && big(d) <= target) return { nonce, digest: d, hashes: i + 1 };
  }
  return null;
}

/** Loads a kernel by name or skips the test with the reason it is unavailable here. */
export function kernelOrSkip(t: TestContext, algo: HashAlgo, name: KernelName): Kernel | null {
  const r = KERNEL_FACTORIES[name](algo);
  if ('error' in r) { t.skip(`${name} unavailable: ${r.error}`); return null; }
  return r.kernel;
}

export function hitSummary(h: SealHit | null): unknown {
  return h ? { nonce: h.nonce, digest: Buffer.from(h.digest).toString('hex'), mixhash: Buffer.from(h.mixhash).toString('hex') } : null;
}

/** Deterministic pseudo-random bytes (xorshift32) so failures reproduce. */
export function prng(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 0xff; }
    return out;
  };
}
