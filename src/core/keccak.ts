/**
 * Keccak-256 (QuarkChain's "sha3_256") behind one small interface. `@noble/hashes` is the
 * reference and the default; a faster implementation may be installed with `setKeccak` once it
 * has been checked against the reference (see test/unit/crypto/keccak.test.ts).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Bytes } from './bytes.js';

export type Keccak256 = (data: Bytes) => Bytes;

export const referenceKeccak256: Keccak256 = (data) => keccak_256(data);

let impl: Keccak256 = referenceKeccak256;

export function keccak256(data: Bytes): Bytes {
  return impl(data);
}

/** The implementation in use. */
export function currentKeccak(): Keccak256 {
  return impl;
}

/** Installs a faster implementation; it must agree with the reference bit for bit. */
export function setKeccak(k: Keccak256): void {
  impl = k;
}
