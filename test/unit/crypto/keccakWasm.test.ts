import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { currentKeccak, keccak256, referenceKeccak256, setKeccak } from '../../../src/core/keccak.js';
import { useFastKeccak } from '../../../src/crypto/keccakWasm.js';

test('keccakWasm: installs and agrees with the @noble/hashes reference', async () => {
  try {
    assert.equal(await useFastKeccak(), true);
    assert.notEqual(currentKeccak(), referenceKeccak256, 'a fast (native or WebAssembly) implementation is in use');
    for (let n = 0; n < 600; n += 7) {
      const input = randomBytes(n);
      assert.deepEqual(keccak256(input), referenceKeccak256(input), `length ${n}`);
    }
    // The hasher is reused: interleaved calls must not leak state.
    const a = randomBytes(300);
    const b = randomBytes(5);
    const ha = keccak256(a);
    keccak256(b);
    assert.deepEqual(keccak256(a), ha);
  } finally {
    setKeccak(referenceKeccak256);
  }
});
