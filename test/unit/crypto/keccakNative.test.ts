import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { referenceKeccak256, type Keccak256 } from '../../../src/core/keccak.js';
import { nativeKeccak } from '../../../src/crypto/keccakNative.js';

test('keccakNative: agrees with the @noble/hashes reference across block edges, the scratch size and beyond', (t) => {
  let longer = 0;
  const fallback: Keccak256 = (d) => { longer++; return referenceKeccak256(d); };
  const k = nativeKeccak(fallback);
  if (!k) { t.skip('native addon not built here'); return; }
  for (const n of [0, 1, 31, 32, 64, 135, 136, 137, 177, 271, 272, 273, 1000, 4095, 4096]) {
    const input = randomBytes(n);
    assert.deepEqual(k(input), referenceKeccak256(input), `length ${n}`);
  }
  assert.equal(longer, 0, 'inputs up to 4 KiB are hashed natively');
  const big = randomBytes(4097);
  assert.deepEqual(k(big), referenceKeccak256(big));
  assert.equal(longer, 1, 'a longer input goes to the fallback');
  // Each digest is a fresh array: a later hash does not overwrite an earlier result.
  const a = randomBytes(40);
  const ha = k(a);
  const copy = Uint8Array.from(ha);
  k(randomBytes(40));
  assert.deepEqual(ha, copy);
  // An input that is a view into a larger buffer hashes only its own bytes.
  const backing = randomBytes(200);
  const view = backing.subarray(50, 150);
  assert.deepEqual(k(view), referenceKeccak256(Uint8Array.from(view)));
});

test('keccakNative: a second hasher in the same thread leaves the first one right (one scratch pair per thread)', (t) => {
  const first = nativeKeccak(referenceKeccak256);
  if (!first) { t.skip('native addon not built here'); return; }
  const second = nativeKeccak(referenceKeccak256)!;
  for (const n of [0, 32, 177]) {
    const a = randomBytes(n);
    const b = randomBytes(n);
    assert.deepEqual(first(a), referenceKeccak256(a), `first, length ${n}`);
    assert.deepEqual(second(b), referenceKeccak256(b), `second, length ${n}`);
    assert.deepEqual(first(b), referenceKeccak256(b), `first again, length ${n}`);
  }
});
