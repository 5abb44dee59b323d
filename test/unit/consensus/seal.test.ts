import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  checkSeal, doubleSha256Digest, doubleSha256Meets, qkchashDigest, qkchashMeets,
} from '../../../src/consensus/seal.js';
import { powBoundary, sealTarget, MAX_U256, NO_TARGET } from '../../../src/consensus/target.js';
import { ChainError } from '../../../src/core/errors.js';

const ZERO = new Uint8Array(32);

/** Independent oracle: node:crypto (OpenSSL), not the @noble/hashes used by seal.ts. */
function sha256d(sealHash: Uint8Array, nonce: bigint): Buffer {
  const m = Buffer.alloc(40);
  Buffer.from(sealHash).copy(m, 0);
  m.writeBigUInt64BE(nonce, 32);
  return createHash('sha256').update(createHash('sha256').update(m).digest()).digest();
}

function big(b: Uint8Array): bigint {
  return BigInt('0x' + Buffer.from(b).toString('hex'));
}

function bytes32(v: bigint): Uint8Array {
  return Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
}

function code(fn: () => void): string {
  try { fn(); } catch (e) { return (e as ChainError).code; }
  return 'OK';
}

test('seal: doublesha256 digest is sha256(sha256(sealHash ‖ nonce BE)) (node:crypto oracle)', () => {
  for (let i = 0; i < 50; i++) {
    const h = randomBytes(32);
    const nonce = randomBytes(8).readBigUInt64BE();
    assert.deepEqual(Buffer.from(doubleSha256Digest(h, nonce)), sha256d(h, nonce));
  }
  assert.deepEqual(Buffer.from(doubleSha256Digest(ZERO, 0n)), sha256d(ZERO, 0n));
  assert.deepEqual(Buffer.from(doubleSha256Digest(ZERO, 2n ** 64n - 1n)), sha256d(ZERO, 2n ** 64n - 1n));
});

test('seal: doublesha256 boundary is strict and minus one (digest < floor(2^256/d) − 1)', () => {
  for (const d of [1n, 2n, 3n, 7n, 1000n, 2n ** 200n + 12345n]) {
    const t = powBoundary(d) - 1n;
    assert.equal(doubleSha256Meets(bytes32(t - 1n), d), true, `d=${d}: target−1 passes`);
    assert.equal(doubleSha256Meets(bytes32(t), d), false, `d=${d}: exactly at target fails`);
    assert.equal(sealTarget('doublesha256', d), t - 1n, 'inclusive bound = largest valid digest');
  }
  // d = 1: the target is 2^256 − 1, so every digest but the all-ones value passes.
  assert.equal(doubleSha256Meets(bytes32(MAX_U256), 1n), false);
  assert.equal(doubleSha256Meets(bytes32(MAX_U256 - 1n), 1n), true);
  assert.equal(sealTarget('doublesha256', 1n), MAX_U256 - 1n);
  assert.equal(sealTarget('doublesha256', 2n ** 256n), NO_TARGET);
});

test('seal: qkchash boundary is inclusive (result ≤ floor(2^256/d))', () => {
  for (const d of [2n, 3n, 10n, 2n ** 128n + 1n]) {
    const b = powBoundary(d);
    assert.equal(qkchashMeets(bytes32(b), d), true);
    assert.equal(qkchashMeets(bytes32(b + 1n), d), false);
    assert.equal(sealTarget('qkchash', d), b);
  }
  assert.equal(qkchashMeets(bytes32(MAX_U256), 1n), true);
  assert.equal(sealTarget('qkchash', 1n), MAX_U256);
});

test('seal: checkSeal accepts and rejects doublesha256 seals found with node:crypto', () => {
  const h = randomBytes(32);
  const d = 64n;
  const t = powBoundary(d) - 1n;
  let good = -1n, bad = -1n;
  for (let n = 0n; good < 0n || bad < 0n; n++) {
    if (big(sha256d(h, n)) < t) { if (good < 0n) good = n; } else if (bad < 0n) bad = n;
  }
  const input = { sealHash: h, mixhash: ZERO, difficulty: d, height: 5 };
  assert.equal(code(() => checkSeal('doublesha256', { ...input, nonce: good })), 'OK');
  assert.equal(code(() => checkSeal('doublesha256', { ...input, nonce: bad })), 'BAD_SEAL');
  const mix = new Uint8Array(32); mix[31] = 1;
  assert.equal(code(() => checkSeal('doublesha256', { ...input, nonce: good, mixhash: mix })), 'BAD_MIXHASH');
  assert.equal(code(() => checkSeal('doublesha256', { ...input, nonce: good, difficulty: 0n })), 'BAD_DIFFICULTY');
  assert.equal(code(() => checkSeal('doublesha256', { ...input, nonce: 2n ** 64n })), 'BAD_SEAL');
  // d = 1 accepts (practically) everything.
  assert.equal(code(() => checkSeal('doublesha256', { ...input, nonce: bad, difficulty: 1n })), 'OK');
});

test('seal: simulate is always valid', () => {
  assert.equal(code(() => checkSeal('simulate', { sealHash: ZERO, nonce: 0n, mixhash: ZERO, difficulty: 10n ** 30n, height: 0 })), 'OK');
});

test('seal: qkchash checks mixhash, result and epoch (as pyquarkchain test_qkcpow)', () => {
  const h = bytes32(2n ** 256n - 1234567890n);
  const d = 10n;
  let nonce = 0n;
  let out = qkchashDigest(h, nonce, 10);
  while (!qkchashMeets(out.result, d)) out = qkchashDigest(h, ++nonce, 10);
  const ok = { sealHash: h, nonce, mixhash: out.mix, difficulty: d, height: 10 };
  assert.equal(code(() => checkSeal('qkchash', ok)), 'OK');
  assert.equal(code(() => checkSeal('qkchash', { ...ok, height: 3000 })), 'OK', 'same epoch');
  assert.equal(code(() => checkSeal('qkchash', { ...ok, height: 30001 })), 'BAD_MIXHASH', 'other epoch');
  assert.equal(code(() => checkSeal('qkchash', { ...ok, mixhash: ZERO })), 'BAD_MIXHASH');
  assert.equal(code(() => checkSeal('qkchash', { ...ok, difficulty: 2n ** 255n })), big(out.result) <= 2n ? 'OK' : 'BAD_SEAL');
});
